// The 8-bit GEMM micro-kernel with 512-bit vpdpbusd and the requantization with 512-bit vectors (this file
// alone is compiled with AVX-512 and AVX512-VNNI enabled; see CMakeLists.txt). The tile is 6 rows x 4 panels
// (64 columns): 24 accumulators, four B vectors and the broadcast A word fit the 32 vector registers.
// GCC 12's AVX-512 conversion intrinsics start from _mm512_undefined_*, which -Wmaybe-uninitialized flags.
#if !defined(__clang__)  // a GCC-only warning; clang would report the unknown name
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "ep/cpu/ukernels/int8_gemm_isa.h"

#if !defined(__AVX512VNNI__) || !defined(__AVX512BW__)
#error "int8_gemm__avx512vnni.cc must be compiled with AVX-512 BW and VNNI enabled"
#endif

namespace onyx::cpu {

namespace {

// One row (a GEMV: a recurrent step, one token): with NP accumulators alone the chain of vpdpbusd latencies, not
// the loads, bounds it, so even and odd groups of K go to two sets, added at the end.
template <int NP>
void RowTile(const uint8_t* a, int64_t k4, const int8_t* b, int64_t panel_stride, int32_t* c) {
  __m512i acc0[NP], acc1[NP];
  for (int p = 0; p < NP; ++p) acc0[p] = acc1[p] = _mm512_setzero_si512();
  int64_t kk = 0;
  for (; kk + 8 <= k4; kk += 8) {
    int32_t w0, w1;
    std::memcpy(&w0, a + kk, 4);
    std::memcpy(&w1, a + kk + 4, 4);
    const __m512i a0 = _mm512_set1_epi32(w0), a1 = _mm512_set1_epi32(w1);
    for (int p = 0; p < NP; ++p) {
      // The weights stream from L2 once per call (a recurrent step): fetched 16 groups of K ahead, which the
      // hardware prefetcher alone did not keep up with on four panel streams. Prefetches do not fault past the end.
      _mm_prefetch(reinterpret_cast<const char*>(b + p * panel_stride + kk * 16 + 1024), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(b + p * panel_stride + kk * 16 + 1088), _MM_HINT_T0);
      acc0[p] = _mm512_dpbusd_epi32(acc0[p], a0, _mm512_loadu_si512(b + p * panel_stride + kk * 16));
      acc1[p] = _mm512_dpbusd_epi32(acc1[p], a1, _mm512_loadu_si512(b + p * panel_stride + kk * 16 + 64));
    }
  }
  if (kk < k4) {
    int32_t w0;
    std::memcpy(&w0, a + kk, 4);
    const __m512i a0 = _mm512_set1_epi32(w0);
    for (int p = 0; p < NP; ++p)
      acc0[p] = _mm512_dpbusd_epi32(acc0[p], a0, _mm512_loadu_si512(b + p * panel_stride + kk * 16));
  }
  for (int p = 0; p < NP; ++p) _mm512_storeu_si512(c + p * 16, _mm512_add_epi32(acc0[p], acc1[p]));
}

template <int MR, int NP>
void Tile(const uint8_t* a, int64_t k4, const int8_t* b, int64_t panel_stride, int32_t* c, int64_t ldc) {
  if constexpr (MR == 1) {
    (void)ldc;
    return RowTile<NP>(a, k4, b, panel_stride, c);
  }
  __m512i acc[MR][NP];
  for (int r = 0; r < MR; ++r)
    for (int p = 0; p < NP; ++p) acc[r][p] = _mm512_setzero_si512();
  for (int64_t kk = 0; kk < k4; kk += 4) {
    __m512i bv[NP];
    for (int p = 0; p < NP; ++p) bv[p] = _mm512_loadu_si512(b + p * panel_stride + kk * 16);
    for (int r = 0; r < MR; ++r) {
      int32_t word;
      std::memcpy(&word, a + r * k4 + kk, 4);
      const __m512i av = _mm512_set1_epi32(word);
      for (int p = 0; p < NP; ++p) acc[r][p] = _mm512_dpbusd_epi32(acc[r][p], av, bv[p]);
    }
  }
  for (int r = 0; r < MR; ++r)
    for (int p = 0; p < NP; ++p) _mm512_storeu_si512(c + r * ldc + p * 16, acc[r][p]);
}

using TileFn = void (*)(const uint8_t*, int64_t, const int8_t*, int64_t, int32_t*, int64_t);
template <int MR>
constexpr TileFn kRow[4] = {Tile<MR, 1>, Tile<MR, 2>, Tile<MR, 3>, Tile<MR, 4>};
constexpr const TileFn* kTiles[6] = {kRow<1>, kRow<2>, kRow<3>, kRow<4>, kRow<5>, kRow<6>};

}  // namespace

void Int8GemmAvx512Vnni(const uint8_t* a, int64_t rows, int64_t k4, const int8_t* b, int64_t panels, int32_t* c,
                        int64_t ldc) {
  const int64_t panel_stride = k4 * 16;
  for (int64_t p0 = 0; p0 < panels; p0 += 4) {
    const int64_t np = panels - p0 < 4 ? panels - p0 : 4;
    for (int64_t r0 = 0; r0 < rows; r0 += 6) {
      const int64_t mr = rows - r0 < 6 ? rows - r0 : 6;
      kTiles[mr - 1][np - 1](a + r0 * k4, k4, b + p0 * panel_stride, panel_stride, c + r0 * ldc + p0 * 16, ldc);
    }
  }
}

void RequantizeAvx512(const int32_t* acc, const int32_t* add, int32_t row_add, const float* scale, int32_t zero_point,
                      bool out_signed, int64_t n, uint8_t* out) {
  const float lo = out_signed ? -128.0f : 0.0f, hi = out_signed ? 127.0f : 255.0f;
  // Clamping before rounding keeps the conversion in range; it equals clamping after it since the bounds are
  // integers.
  const __m512 vlo = _mm512_set1_ps(lo - static_cast<float>(zero_point));
  const __m512 vhi = _mm512_set1_ps(hi - static_cast<float>(zero_point));
  const __m512i vzp = _mm512_set1_epi32(zero_point), vrow = _mm512_set1_epi32(row_add);
  for (int64_t j = 0; j < n; j += 16) {
    const __mmask16 m = n - j >= 16 ? __mmask16(0xFFFF) : static_cast<__mmask16>((1u << (n - j)) - 1);
    __m512i v = _mm512_add_epi32(_mm512_maskz_loadu_epi32(m, acc + j), vrow);
    if (add != nullptr) v = _mm512_add_epi32(v, _mm512_maskz_loadu_epi32(m, add + j));
    __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(v), _mm512_maskz_loadu_ps(m, scale + j));
    f = _mm512_min_ps(_mm512_max_ps(f, vlo), vhi);
    // The default rounding mode (MXCSR) rounds half to even, as nearbyint does.
    const __m512i q = _mm512_add_epi32(_mm512_cvtps_epi32(f), vzp);
    _mm512_mask_cvtepi32_storeu_epi8(out + j, m, q);
  }
}

void FloatRowAvx512(const int32_t* c, uint32_t ra, const int32_t* add, const float* scale, const float* fb,
                    int64_t cols, float* o) {
  // One pass over the row, multiply then add (the intrinsics are not contracted into an FMA): the bits of the
  // portable FloatRow, which onnxruntime's scale-and-bias output step rounds the same way.
  const __m512i vra = _mm512_set1_epi32(static_cast<int32_t>(ra));
  for (int64_t j = 0; j < cols; j += 16) {
    const __mmask16 m = cols - j >= 16 ? __mmask16(0xFFFF) : static_cast<__mmask16>((1u << (cols - j)) - 1);
    const __m512i v = _mm512_add_epi32(_mm512_add_epi32(_mm512_maskz_loadu_epi32(m, c + j), vra),
                                       _mm512_maskz_loadu_epi32(m, add + j));
    __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(v), _mm512_maskz_loadu_ps(m, scale + j));
    if (fb != nullptr) f = _mm512_add_ps(f, _mm512_maskz_loadu_ps(m, fb + j));
    _mm512_mask_storeu_ps(o + j, m, f);
  }
}

void RequantizeTransposedAvx512(const int32_t* acc, int64_t ldc, const int32_t* row_add, const int32_t* add,
                                const float* scale, int32_t zero_point, bool out_signed, int64_t rows, int64_t cols,
                                uint8_t* out, int64_t out_col) {
  const float lo = out_signed ? -128.0f : 0.0f, hi = out_signed ? 127.0f : 255.0f;
  const __m512 vlo = _mm512_set1_ps(lo - static_cast<float>(zero_point));
  const __m512 vhi = _mm512_set1_ps(hi - static_cast<float>(zero_point));
  const __m512i vzp = _mm512_set1_epi32(zero_point);
  const __m512i vzp16 = _mm512_set1_epi16(static_cast<int16_t>(zero_point));
  // Per 128-bit lane, a 4 x 4 byte block from row-major to column-major.
  const __m512i to_columns = _mm512_set4_epi32(0x0f0b0703, 0x0e0a0602, 0x0d090501, 0x0c080400);
  const __m512 one = _mm512_set1_ps(1.0f);
  for (int64_t j = 0; j < cols; j += 16) {
    // A last group of fewer than 16 columns reads its terms and scales masked and stores only its columns.
    const int64_t ncols = std::min<int64_t>(16, cols - j);
    const auto cmask = static_cast<__mmask16>(ncols == 16 ? 0xFFFF : (1u << ncols) - 1);
    const __m512i vadd = _mm512_maskz_loadu_epi32(cmask, add + j);
    const __m512 vscale = _mm512_maskz_loadu_ps(cmask, scale + j);
    // With every |scale| below 1, |acc * scale| < 2^31 converts without overflow, and the clamp can follow the
    // rounding (the bounds are integers) in the saturating packs: round, narrow to int16 with saturation, add the
    // zero point with saturation, narrow to bytes with saturation, the same bytes in four fewer steps a vector.
    // (A NaN product converts to INT32_MIN and ends as the lowest value, as max(NaN, lo) does below.)
    const bool narrow_scales = _mm512_cmp_ps_mask(_mm512_abs_ps(vscale), one, _CMP_LT_OQ) == 0xFFFF;
    auto columns = [&](auto narrow_tag) {
      constexpr bool narrow = decltype(narrow_tag)::value;
      // Row r0 + i of a 16-row group whose row terms are rg[0..16) (null: none).
      auto row = [&](int64_t r, const int32_t* rg, int i) {
        const __m512i terms = rg == nullptr ? vadd : _mm512_add_epi32(vadd, _mm512_set1_epi32(rg[i]));
        const __m512i v = _mm512_add_epi32(_mm512_loadu_si512(acc + (r + i) * ldc + j), terms);
        __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(v), vscale);
        if constexpr (narrow) return _mm512_cvtps_epi32(f);
        f = _mm512_min_ps(_mm512_max_ps(f, vlo), vhi);
        return _mm512_add_epi32(_mm512_cvtps_epi32(f), vzp);  // in range: the packs below saturate nothing
      };
      auto pack_rows = [&](int64_t r, const int32_t* rg, int i0) {
        __m512i p01 = _mm512_packs_epi32(row(r, rg, i0), row(r, rg, i0 + 1));
        __m512i p23 = _mm512_packs_epi32(row(r, rg, i0 + 2), row(r, rg, i0 + 3));
        if constexpr (narrow) {
          p01 = _mm512_adds_epi16(p01, vzp16);
          p23 = _mm512_adds_epi16(p23, vzp16);
        }
        return out_signed ? _mm512_packs_epi16(p01, p23) : _mm512_packus_epi16(p01, p23);
      };
      for (int64_t r = 0; r < rows; r += 16) {
        // A last group of fewer than 16 rows computes all 16 (the tile holds them; their values are not used) with
        // zero row terms past `rows`, and stores only its rows.
        const int64_t nrows = std::min<int64_t>(16, rows - r);
        int32_t rg_tail[16] = {};
        const int32_t* rg = row_add == nullptr ? nullptr : row_add + r;
        if (row_add != nullptr && nrows < 16) {
          for (int64_t i = 0; i < nrows; ++i) rg_tail[i] = row_add[r + i];
          rg = rg_tail;
        }
        // x[g]: rows r + 4g .. r + 4g + 3; its lane l holds their columns j + 4l .. j + 4l + 3, then dword c of the
        // lane is column j + 4l + c over those four rows.
        __m512i x[4];
        for (int g = 0; g < 4; ++g) {
          x[g] = _mm512_shuffle_epi8(pack_rows(r, rg, 4 * g), to_columns);
        }
        // 4 x 4 dwords per lane: y[c] lane l = column j + 4l + c, all 16 rows.
        const __m512i t0 = _mm512_unpacklo_epi32(x[0], x[1]), t1 = _mm512_unpackhi_epi32(x[0], x[1]);
        const __m512i t2 = _mm512_unpacklo_epi32(x[2], x[3]), t3 = _mm512_unpackhi_epi32(x[2], x[3]);
        const __m512i y[4] = {_mm512_unpacklo_epi64(t0, t2), _mm512_unpackhi_epi64(t0, t2),
                              _mm512_unpacklo_epi64(t1, t3), _mm512_unpackhi_epi64(t1, t3)};
        uint8_t* o = out + j * out_col + r;
        if (nrows == 16 && ncols == 16) {
          for (int c = 0; c < 4; ++c) {
            _mm_storeu_si128(reinterpret_cast<__m128i*>(o + c * out_col), _mm512_castsi512_si128(y[c]));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(o + (4 + c) * out_col), _mm512_extracti32x4_epi32(y[c], 1));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(o + (8 + c) * out_col), _mm512_extracti32x4_epi32(y[c], 2));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(o + (12 + c) * out_col), _mm512_extracti32x4_epi32(y[c], 3));
          }
        } else {
          const auto rmask = static_cast<__mmask16>(nrows == 16 ? 0xFFFF : (1u << nrows) - 1);
          alignas(64) uint8_t lanes[4][64];
          for (int c = 0; c < 4; ++c) _mm512_store_si512(lanes[c], y[c]);
          for (int64_t col = 0; col < ncols; ++col) {
            const __m128i v = _mm_load_si128(reinterpret_cast<const __m128i*>(lanes[col % 4] + (col / 4) * 16));
            _mm_mask_storeu_epi8(o + col * out_col, rmask, v);
          }
        }
      }
    };
    if (narrow_scales) {
      columns(std::true_type{});
    } else {
      columns(std::false_type{});
    }
  }
}

}  // namespace onyx::cpu

namespace onyx::cpu {

void QuantizeAvx512(const float* x, int64_t n, float scale, int32_t zero_point, bool out_signed, uint8_t* out) {
  const __m512 vlo = _mm512_set1_ps((out_signed ? -128.0f : 0.0f) - static_cast<float>(zero_point));
  const __m512 vhi = _mm512_set1_ps((out_signed ? 127.0f : 255.0f) - static_cast<float>(zero_point));
  const __m512 vs = _mm512_set1_ps(scale);
  const __m512i vzp = _mm512_set1_epi32(zero_point);
  // x / scale without a division (a 512-bit one takes the time of ten multiplies; it was most of a dynamically
  // quantized MatMul's quantization of A): with inv = 1 / scale rounded, q = x * inv is within an ulp of the
  // quotient, and q + (x - q * scale) * inv, both steps fused, is the correctly rounded quotient (Markstein's
  // theorem; 640 million random pairs agreed bit for bit). Where scale or its reciprocal is not a normal float the
  // division stays. Lanes whose correction is NaN (x infinite or NaN, or the quotient overflowing) keep q, which is
  // then the quotient's infinity or NaN.
  const float inv = 1.0f / scale;
  const bool by_reciprocal = std::isnormal(scale) && std::isnormal(inv);
  const __m512 vinv = _mm512_set1_ps(inv);
  for (int64_t j = 0; j < n; j += 16) {
    const __mmask16 m = n - j >= 16 ? __mmask16(0xFFFF) : static_cast<__mmask16>((1u << (n - j)) - 1);
    const __m512 xv = _mm512_maskz_loadu_ps(m, x + j);
    __m512 f;
    if (by_reciprocal) {
      const __m512 q = _mm512_mul_ps(xv, vinv);
      const __m512 fixed = _mm512_fmadd_ps(_mm512_fnmadd_ps(q, vs, xv), vinv, q);
      f = _mm512_mask_mov_ps(q, _mm512_cmp_ps_mask(fixed, fixed, _CMP_ORD_Q), fixed);
    } else {
      f = _mm512_div_ps(xv, vs);
    }
    // max(x, lo) gives lo for NaN, as onnxruntime's does.
    f = _mm512_min_ps(_mm512_max_ps(f, vlo), vhi);
    _mm512_mask_cvtepi32_storeu_epi8(out + j, m, _mm512_add_epi32(_mm512_cvtps_epi32(f), vzp));
  }
}

void DequantizeAvx512(const uint8_t* x, bool in_signed, int64_t n, float scale, int32_t zero_point, float* out) {
  const __m512 vs = _mm512_set1_ps(scale);
  const __m512i vzp = _mm512_set1_epi32(zero_point);
  for (int64_t j = 0; j < n; j += 16) {
    const __mmask16 m = n - j >= 16 ? __mmask16(0xFFFF) : static_cast<__mmask16>((1u << (n - j)) - 1);
    const __m128i bytes = _mm_maskz_loadu_epi8(m, x + j);
    const __m512i v = in_signed ? _mm512_cvtepi8_epi32(bytes) : _mm512_cvtepu8_epi32(bytes);
    _mm512_mask_storeu_ps(out + j, m, _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(v, vzp)), vs));
  }
}

}  // namespace onyx::cpu
