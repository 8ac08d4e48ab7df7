// The 8-bit GEMM micro-kernel with AVX2 (this file alone is compiled with AVX2 enabled; see CMakeLists.txt).
//
// Exactness: vpmaddubsw (u8 x s8 pairs summed into int16) saturates (255 * -128 * 2 does not fit), so it would
// give results that differ from the VNNI kernels. Instead each 32-bit lane of a packed B group (four signed
// bytes of one column) is split into its even and odd bytes sign-extended to 16 bits (two shifts), and the four
// A bytes into (a0, a2) and (a1, a3) zero-extended to 16 bits; vpmaddwd then forms a0*b0 + a2*b2 and
// a1*b1 + a3*b3 exactly in 32 bits (|sum| <= 65280), and the sum wraps modulo 2^32 just like vpdpbusd's.
// The tile is 4 rows x 1 panel (two 8-column halves): 8 accumulators, 4 split B vectors and 2 A vectors.
#include <immintrin.h>

#include <cstring>

#include "ep/cpu/ukernels/int8_gemm_rows.h"
#include "ep/cpu/ukernels/int8_gemm_avx2_requantize.h"
#include "ep/cpu/ukernels/int8_gemm_isa.h"

#if !defined(__AVX2__)
#error "int8_gemm__avx2.cc must be compiled with AVX2 enabled"
#endif

namespace onyx::cpu {

namespace {

template <int MR>
void Tile(const uint8_t* a, int64_t k4, const int8_t* b, int32_t* c, int64_t ldc) {
  __m256i acc[MR][2];
  for (int r = 0; r < MR; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
  for (int64_t kk = 0; kk < k4; kk += 4) {
    const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + kk * 16));
    const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + kk * 16 + 32));
    const __m256i be0 = _mm256_srai_epi16(_mm256_slli_epi16(b0, 8), 8), bo0 = _mm256_srai_epi16(b0, 8);
    const __m256i be1 = _mm256_srai_epi16(_mm256_slli_epi16(b1, 8), 8), bo1 = _mm256_srai_epi16(b1, 8);
    for (int r = 0; r < MR; ++r) {
      uint32_t word;
      std::memcpy(&word, a + r * k4 + kk, 4);
      const __m256i ae = _mm256_set1_epi32(static_cast<int32_t>(word & 0x00FF00FFu));
      const __m256i ao = _mm256_set1_epi32(static_cast<int32_t>((word >> 8) & 0x00FF00FFu));
      acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_add_epi32(_mm256_madd_epi16(ae, be0), _mm256_madd_epi16(ao, bo0)));
      acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_add_epi32(_mm256_madd_epi16(ae, be1), _mm256_madd_epi16(ao, bo1)));
    }
  }
  for (int r = 0; r < MR; ++r) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c + r * ldc), acc[r][0]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c + r * ldc + 8), acc[r][1]);
  }
}

using TileFn = void (*)(const uint8_t*, int64_t, const int8_t*, int32_t*, int64_t);
constexpr TileFn kTiles[4] = {Tile<1>, Tile<2>, Tile<3>, Tile<4>};

}  // namespace

void Int8GemmAvx2(const uint8_t* a, int64_t rows, int64_t k4, const int8_t* b, int64_t panels, int32_t* c,
                  int64_t ldc) {
  for (int64_t p = 0; p < panels; ++p) {
    for (int64_t r0 = 0; r0 < rows; r0 += 4) {
      const int64_t mr = rows - r0 < 4 ? rows - r0 : 4;
      kTiles[mr - 1](a + r0 * k4, k4, b + p * k4 * 16, c + r0 * ldc + p * 16, ldc);
    }
  }
}

void RequantizeAvx2(const int32_t* acc, const int32_t* add, int32_t row_add, const float* scale, int32_t zero_point,
                    bool out_signed, int64_t n, uint8_t* out) {
  RequantizeAvx2Impl(acc, add, row_add, scale, zero_point, out_signed, n, out);
}

}  // namespace onyx::cpu

namespace onyx::cpu {

void QuantizeAvx2(const float* x, int64_t n, float scale, int32_t zero_point, bool out_signed, uint8_t* out) {
  const float lo = (out_signed ? -128.0f : 0.0f) - static_cast<float>(zero_point);
  const float hi = (out_signed ? 127.0f : 255.0f) - static_cast<float>(zero_point);
  const __m256 vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi), vs = _mm256_set1_ps(scale);
  const __m256i vzp = _mm256_set1_epi32(zero_point);
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) {
    __m256 f = _mm256_div_ps(_mm256_loadu_ps(x + j), vs);
    f = _mm256_min_ps(_mm256_max_ps(f, vlo), vhi);
    const __m256i q = _mm256_add_epi32(_mm256_cvtps_epi32(f), vzp);
    const __m128i q16 = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + j),
                     out_signed ? _mm_packs_epi16(q16, q16) : _mm_packus_epi16(q16, q16));
  }
  for (; j < n; ++j) {
    const float f = x[j] / scale;
    // NaN fails both comparisons and lands on lo, as the vector max does.
    const float c = f > lo ? (f < hi ? f : hi) : lo;
    out[j] = static_cast<uint8_t>(static_cast<int32_t>(std::nearbyint(c)) + zero_point);
  }
}

void DequantizeAvx2(const uint8_t* x, bool in_signed, int64_t n, float scale, int32_t zero_point, float* out) {
  const __m256 vs = _mm256_set1_ps(scale);
  const __m256i vzp = _mm256_set1_epi32(zero_point);
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) {
    const __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(x + j));
    const __m256i v = in_signed ? _mm256_cvtepi8_epi32(bytes) : _mm256_cvtepu8_epi32(bytes);
    _mm256_storeu_ps(out + j, _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(v, vzp)), vs));
  }
  for (; j < n; ++j) {
    const int32_t v = in_signed ? static_cast<int8_t>(x[j]) : x[j];
    out[j] = static_cast<float>(v - zero_point) * scale;
  }
}

int64_t FloatRangeWithZeroAvx2(const float* x, int64_t n, float* lo_out, float* hi_out) {
  float lo = 0.0f, hi = 0.0f;
  int64_t i = 0;
  // Four pairs of accumulators: one pair was bound by the latency of min/max, not by the loads. min_ps(v, acc)
  // keeps acc when v is NaN, as the caller's scalar tail does.
  __m256 l0 = _mm256_setzero_ps(), l1 = l0, l2 = l0, l3 = l0, h0 = l0, h1 = l0, h2 = l0, h3 = l0;
  for (; i + 32 <= n; i += 32) {
    const __m256 v0 = _mm256_loadu_ps(x + i), v1 = _mm256_loadu_ps(x + i + 8);
    const __m256 v2 = _mm256_loadu_ps(x + i + 16), v3 = _mm256_loadu_ps(x + i + 24);
    l0 = _mm256_min_ps(v0, l0);
    l1 = _mm256_min_ps(v1, l1);
    l2 = _mm256_min_ps(v2, l2);
    l3 = _mm256_min_ps(v3, l3);
    h0 = _mm256_max_ps(v0, h0);
    h1 = _mm256_max_ps(v1, h1);
    h2 = _mm256_max_ps(v2, h2);
    h3 = _mm256_max_ps(v3, h3);
  }
  alignas(32) float l[8], h[8];
  _mm256_store_ps(l, _mm256_min_ps(_mm256_min_ps(l0, l1), _mm256_min_ps(l2, l3)));
  _mm256_store_ps(h, _mm256_max_ps(_mm256_max_ps(h0, h1), _mm256_max_ps(h2, h3)));
  for (int j = 0; j < 8; ++j) {
    lo = l[j] < lo ? l[j] : lo;
    hi = h[j] > hi ? h[j] : hi;
  }
  *lo_out = lo;
  *hi_out = hi;
  return i;
}

namespace {
struct Avx2Tag {};
}  // namespace

const ukernels::QgemmRowOps& ukernels::QgemmRowsAvx2() { return ukernels::epilogue::Ops<Avx2Tag>(); }

}  // namespace onyx::cpu
