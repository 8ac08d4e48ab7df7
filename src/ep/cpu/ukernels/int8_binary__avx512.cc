// QLinearAdd's and QLinearMul's row loop with 512-bit vectors (this file alone is compiled with AVX-512 enabled;
// see CMakeLists.txt): 16 elements per vector, half the instructions of the AVX2 loop, the same arithmetic.
// GCC 12's AVX-512 conversion intrinsics start from _mm512_undefined_*, which -Wmaybe-uninitialized flags.
#if !defined(__clang__)  // a GCC-only warning; clang would report the unknown name
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

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
  for (int64_t i = 0; i < n16; i += 16) {
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
