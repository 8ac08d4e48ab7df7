// Int16Gemv's columns in blocks of 32 with AVX2 (this file is compiled for x86-64-v3, called only after
// cpu::HasAvx2()): four registers of eight int32 sums, each step of two rows one vpmaddwd per register. Returns how
// many columns it did (a multiple of 32); int16_gemv.cc does the rest.
#include <immintrin.h>

#include "ep/cpu/ukernels/int16_gemv.h"

namespace onyx::cpu::ukernels {

int64_t Int16GemvColumnsAvx2(const int32_t* a, const Int16PairsB& b, int32_t* out) {
  const int64_t n = b.n, pairs = (b.k + 1) / 2;
  const int16_t* d = b.data.data();
  auto a_at = [&](int64_t l) { return l < b.k ? a[l] : 0; };
  int64_t j0 = 0;
  for (; j0 + 32 <= n; j0 += 32) {
    __m256i s0 = _mm256_setzero_si256(), s1 = s0, s2 = s0, s3 = s0;
    for (int64_t p = 0; p < pairs; ++p) {
      const int32_t lo = a_at(2 * p), hi = a_at(2 * p + 1);
      if ((lo | hi) == 0) continue;
      const __m256i av =
          _mm256_set1_epi32(static_cast<int32_t>((static_cast<uint32_t>(static_cast<uint16_t>(lo))) |
                                                 (static_cast<uint32_t>(static_cast<uint16_t>(hi)) << 16)));
      const int16_t* row = d + (p * n + j0) * 2;
      s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(av, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row))));
      s1 = _mm256_add_epi32(s1, _mm256_madd_epi16(av, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + 16))));
      s2 = _mm256_add_epi32(s2, _mm256_madd_epi16(av, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + 32))));
      s3 = _mm256_add_epi32(s3, _mm256_madd_epi16(av, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + 48))));
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j0), s0);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j0 + 8), s1);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j0 + 16), s2);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j0 + 24), s3);
  }
  return j0;
}

}  // namespace onyx::cpu::ukernels
