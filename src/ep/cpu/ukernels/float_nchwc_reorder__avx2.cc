// Moves channels between the plain [C][HW] layout and one [HW][8] block with AVX2: eight pixels of eight
// channels are an 8x8 transpose in registers; edges (fewer than 8 pixels or channels) go element by element.
#include <immintrin.h>

#include <algorithm>

#include "ep/cpu/ukernels/float_nchwc__avx2.h"

namespace onyx::cpu::nchwc {
namespace {

inline void Transpose8x8(__m256 r[8]) {
  const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
  const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
  const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  const __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
  r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
  r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
  r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
  r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
  r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
  r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
  r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

}  // namespace

void ReorderToBlock_Avx2(const float* x, int64_t src_stride, int64_t channels, int64_t hw, float* y) {
  channels = std::min<int64_t>(channels, kBlock);
  int64_t p = 0;
  // A partial block (a network's 3-channel input) transposes with zero rows for the missing channels.
  for (; p + kBlock <= hw; p += kBlock) {
    __m256 r[8];
    for (int c = 0; c < 8; ++c) r[c] = c < channels ? _mm256_loadu_ps(x + c * src_stride + p) : _mm256_setzero_ps();
    Transpose8x8(r);
    for (int i = 0; i < 8; ++i) _mm256_storeu_ps(y + (p + i) * kBlock, r[i]);
  }
  for (; p < hw; ++p) {
    for (int64_t c = 0; c < kBlock; ++c) y[p * kBlock + c] = c < channels ? x[c * src_stride + p] : 0.0f;
  }
}

void ReorderFromBlock_Avx2(const float* x, int64_t hw, int64_t channels, float* y, int64_t dst_stride) {
  channels = std::min<int64_t>(channels, kBlock);
  int64_t p = 0;
  if (channels == kBlock) {
    for (; p + kBlock <= hw; p += kBlock) {
      __m256 r[8];
      for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(x + (p + i) * kBlock);
      Transpose8x8(r);
      for (int c = 0; c < 8; ++c) _mm256_storeu_ps(y + c * dst_stride + p, r[c]);
    }
  }
  for (; p < hw; ++p) {
    for (int64_t c = 0; c < channels; ++c) y[c * dst_stride + p] = x[p * kBlock + c];
  }
}

void PixelsToBlock_Avx2(const float* x, int64_t pixel_stride, int64_t lanes, int64_t pixels, float* y) {
  // A masked load reads only the pixel's own channels (never past the row's end) and zeroes the other lanes.
  const __m256i mask =
      _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(lanes)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  for (int64_t p = 0; p < pixels; ++p) _mm256_storeu_ps(y + p * kBlock, _mm256_maskload_ps(x + p * pixel_stride, mask));
}

void GatherLanes_Avx2(const float* x, const int32_t* src, int64_t pixels, float* y) {
  const __m256i index = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src));
  const __m256 valid = _mm256_castsi256_ps(_mm256_cmpgt_epi32(index, _mm256_set1_epi32(-1)));
  const __m256i safe = _mm256_max_epi32(index, _mm256_setzero_si256());
  for (int64_t p = 0; p < pixels; ++p) {
    _mm256_storeu_ps(y + p * kBlock, _mm256_mask_i32gather_ps(_mm256_setzero_ps(), x + p * kBlock, safe, valid, 4));
  }
}

}  // namespace onyx::cpu::nchwc
