// The 8-bit GEMM micro-kernel with 256-bit vpdpbusd (AVX-VNNI; this file alone is compiled with it enabled, see
// CMakeLists.txt). The tile is 6 rows x 1 panel (two 8-column halves): 12 accumulators, two B vectors and the
// broadcast A word fit the 16 vector registers.
#include <immintrin.h>

#include <cstring>

#include "ep/cpu/ukernels/int8_gemm_isa.h"

#if !defined(__AVXVNNI__)
#error "int8_gemm__avxvnni.cc must be compiled with AVX-VNNI enabled"
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
    for (int r = 0; r < MR; ++r) {
      int32_t word;
      std::memcpy(&word, a + r * k4 + kk, 4);
      const __m256i av = _mm256_set1_epi32(word);
      acc[r][0] = _mm256_dpbusd_avx_epi32(acc[r][0], av, b0);
      acc[r][1] = _mm256_dpbusd_avx_epi32(acc[r][1], av, b1);
    }
  }
  for (int r = 0; r < MR; ++r) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c + r * ldc), acc[r][0]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c + r * ldc + 8), acc[r][1]);
  }
}

using TileFn = void (*)(const uint8_t*, int64_t, const int8_t*, int32_t*, int64_t);
constexpr TileFn kTiles[6] = {Tile<1>, Tile<2>, Tile<3>, Tile<4>, Tile<5>, Tile<6>};

}  // namespace

void Int8GemmAvxVnni(const uint8_t* a, int64_t rows, int64_t k4, const int8_t* b, int64_t panels, int32_t* c,
                     int64_t ldc) {
  for (int64_t p = 0; p < panels; ++p) {
    for (int64_t r0 = 0; r0 < rows; r0 += 6) {
      const int64_t mr = rows - r0 < 6 ? rows - r0 : 6;
      kTiles[mr - 1](a + r0 * k4, k4, b + p * k4 * 16, c + r0 * ldc + p * 16, ldc);
    }
  }
}

}  // namespace onyx::cpu
