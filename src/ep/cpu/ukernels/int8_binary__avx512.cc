// QLinearAdd's and QLinearMul's row loop with 512-bit vectors (this file alone is compiled with AVX-512 enabled;
// see CMakeLists.txt): 16 elements per vector, half the instructions of the AVX2 loop, the same arithmetic.
// GCC 12's AVX-512 conversion intrinsics start from _mm512_undefined_*, which -Wmaybe-uninitialized flags.
#if !defined(__clang__)  // a GCC-only warning; clang would report the unknown name
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"  // the same, once the 64-wide loop inlines them
#endif
#include <immintrin.h>

#include <cmath>

#include "ep/cpu/cpu_isa.h"
#include "ep/cpu/ukernels/int8_binary.h"

#if !defined(__AVX512F__) || !defined(__AVX512BW__)
#error "int8_binary__avx512.cc must be compiled with AVX-512 F and BW enabled"
#endif

namespace onyx::cpu {

namespace {

template <bool kSigned>
__m512 Load16(const uint8_t* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return _mm512_cvtepi32_ps(kSigned ? _mm512_cvtepi8_epi32(v) : _mm512_cvtepu8_epi32(v));
}

template <bool kSigned, bool kMul>
int64_t Run(const uint8_t* a, bool a_scalar, const uint8_t* b, bool b_scalar, uint8_t* out, int64_t n,
            const QBinaryParams& q) {
  const int64_t n16 = n - n % 16;
  const __m512 za = _mm512_set1_ps(q.za), zb = _mm512_set1_ps(q.zb), ra = _mm512_set1_ps(q.ra),
               rb = _mm512_set1_ps(q.rb), zc = _mm512_set1_ps(static_cast<float>(q.zc));
  const __m512 qmin = _mm512_set1_ps(kSigned ? -128.0f : 0.0f), qmax = _mm512_set1_ps(kSigned ? 127.0f : 255.0f);
  auto value = [](const uint8_t* p) {
    return _mm512_cvtepi32_ps(kSigned ? _mm512_cvtepi8_epi32(_mm_set1_epi8(static_cast<char>(*p)))
                                      : _mm512_cvtepu8_epi32(_mm_set1_epi8(static_cast<char>(*p))));
  };
  const __m512 a_fixed = value(a), b_fixed = value(b);
  int64_t i = 0;
  // Where |v| stays below 2^30 (|a - za|, |b - zb| < 512), the rounding conversion cannot overflow and the clamp
  // can follow it in the saturating packs (the bounds are integers): 64 elements a step, round, narrow to int16,
  // add zc, narrow to bytes, all saturating, the same bytes in a third fewer instructions. A NaN or huge ratio
  // fails the test and takes the loop below.
  const float bound = kMul ? 512.0f * 512.0f * std::fabs(q.ra) : 512.0f * (std::fabs(q.ra) + std::fabs(q.rb));
  if (bound < 1073741824.0f) {
    const __m512i zc16 = _mm512_set1_epi16(static_cast<int16_t>(q.zc));
    // packs/packus interleave their operands by 128-bit lane: dword (lane l, source j) back to j * 4 + l.
    const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    auto rounded = [&](int64_t k) {
      const __m512 dx = _mm512_sub_ps(a_scalar ? a_fixed : Load16<kSigned>(a + k), za);
      const __m512 dy = _mm512_sub_ps(b_scalar ? b_fixed : Load16<kSigned>(b + k), zb);
      return _mm512_cvtps_epi32(kMul ? _mm512_mul_ps(_mm512_mul_ps(dx, dy), ra)
                                     : _mm512_fmadd_ps(dx, ra, _mm512_mul_ps(dy, rb)));
    };
    for (; i + 64 <= n16; i += 64) {
      const __m512i p01 = _mm512_adds_epi16(_mm512_packs_epi32(rounded(i), rounded(i + 16)), zc16);
      const __m512i p23 = _mm512_adds_epi16(_mm512_packs_epi32(rounded(i + 32), rounded(i + 48)), zc16);
      const __m512i bytes = kSigned ? _mm512_packs_epi16(p01, p23) : _mm512_packus_epi16(p01, p23);
      _mm512_storeu_si512(out + i, _mm512_permutexvar_epi32(order, bytes));
    }
  }
  for (; i < n16; i += 16) {
    const __m512 dx = _mm512_sub_ps(a_scalar ? a_fixed : Load16<kSigned>(a + i), za);
    const __m512 dy = _mm512_sub_ps(b_scalar ? b_fixed : Load16<kSigned>(b + i), zb);
    __m512 v = kMul ? _mm512_mul_ps(_mm512_mul_ps(dx, dy), ra) : _mm512_fmadd_ps(dx, ra, _mm512_mul_ps(dy, rb));
    v = _mm512_add_ps(_mm512_roundscale_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), zc);
    v = _mm512_min_ps(_mm512_max_ps(v, qmin), qmax);
    // In range after the clamp: the truncating narrowing is exact for either signedness.
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm512_cvtepi32_epi8(_mm512_cvtps_epi32(v)));
  }
  return n16;
}

}  // namespace

bool QBinaryAvx512Usable() {
  return HasAvx512();  // F, VL, BW and DQ, capped by ONYX_ISA
}

int64_t QBinaryRowAvx512(const uint8_t* a, bool a_scalar, const uint8_t* b, bool b_scalar, uint8_t* out, int64_t n,
                         bool is_signed, bool mul, const QBinaryParams& q) {
  if (is_signed) {
    return mul ? Run<true, true>(a, a_scalar, b, b_scalar, out, n, q)
               : Run<true, false>(a, a_scalar, b, b_scalar, out, n, q);
  }
  return mul ? Run<false, true>(a, a_scalar, b, b_scalar, out, n, q)
             : Run<false, false>(a, a_scalar, b, b_scalar, out, n, q);
}

}  // namespace onyx::cpu
