// The requantization with 256-bit vectors, shared by the AVX2 and AVX-VNNI builds (included by one file only,
// int8_gemm__avx2.cc, and compiled there with AVX2 enabled).
#pragma once

#include <immintrin.h>

#include <cmath>
#include <cstdint>

namespace onyx::cpu {

inline void RequantizeAvx2Impl(const int32_t* acc, const int32_t* add, int32_t row_add, const float* scale,
                               int32_t zero_point, bool out_signed, int64_t n, uint8_t* out) {
  const float lo = (out_signed ? -128.0f : 0.0f) - static_cast<float>(zero_point);
  const float hi = (out_signed ? 127.0f : 255.0f) - static_cast<float>(zero_point);
  const __m256 vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi);
  const __m256i vzp = _mm256_set1_epi32(zero_point), vrow = _mm256_set1_epi32(row_add);
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) {
    __m256i v = _mm256_add_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc + j)), vrow);
    if (add != nullptr) v = _mm256_add_epi32(v, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(add + j)));
    __m256 f = _mm256_mul_ps(_mm256_cvtepi32_ps(v), _mm256_loadu_ps(scale + j));
    f = _mm256_min_ps(_mm256_max_ps(f, vlo), vhi);
    const __m256i q = _mm256_add_epi32(_mm256_cvtps_epi32(f), vzp);
    const __m128i q16 = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
    const __m128i q8 = out_signed ? _mm_packs_epi16(q16, q16) : _mm_packus_epi16(q16, q16);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + j), q8);
  }
  for (; j < n; ++j) {
    const int32_t v = static_cast<int32_t>(static_cast<uint32_t>(acc[j]) + static_cast<uint32_t>(row_add) +
                                           static_cast<uint32_t>(add != nullptr ? add[j] : 0));
    float f = static_cast<float>(v) * scale[j];
    f = std::fmin(std::fmax(f, lo), hi);
    out[j] = static_cast<uint8_t>(static_cast<int32_t>(std::nearbyint(f)) + zero_point);
  }
}

}  // namespace onyx::cpu
