// LRN across the channels of a blocked image with AVX2 (see LrnBlock_Avx2 in float_nchwc__avx2.h). A lane's window
// reaches into the neighbouring blocks, which sit a whole plane apart: the squares of the blocks a window touches are
// first written pixel by pixel side by side into a small buffer, so that each lane's window is a run of `size`
// consecutive floats there and the sums are unaligned loads. The buffer is filled for a chunk of pixels before it is
// read, so the loads never wait on the stores that feed them.
#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "ep/cpu/ukernels/float_nchwc__avx2.h"

namespace onyx::cpu::nchwc {
namespace {

inline int64_t FloorDiv8(int64_t a) { return a >= 0 ? a / 8 : -((-a + 7) / 8); }

// Lanes [0, valid) all ones, the rest zero.
inline __m256 LaneMask(int64_t valid) {
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const int32_t v = static_cast<int32_t>(std::clamp<int64_t>(valid, 0, 8));
  return _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32(v), lanes));
}

// x / base^beta for the exponents with square-root forms (see LrnBlock_Avx2).
inline __m256 DivideByPower8(__m256 v, __m256 base, float beta) {
  if (beta == 0.75f) {
    const __m256 root = _mm256_sqrt_ps(base);
    return _mm256_div_ps(v, _mm256_mul_ps(root, _mm256_sqrt_ps(root)));
  }
  if (beta == 0.5f) return _mm256_div_ps(v, _mm256_sqrt_ps(base));
  return _mm256_div_ps(v, base);
}

}  // namespace

void DivideByPower_Avx2(const float* x, const float* base, float* y, int64_t n, float beta) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    _mm256_storeu_ps(y + i, DivideByPower8(_mm256_loadu_ps(x + i), _mm256_loadu_ps(base + i), beta));
  }
  for (; i < n; ++i) {
    const float r = std::sqrt(base[i]);
    y[i] = beta == 0.75f ? x[i] / (r * std::sqrt(r)) : beta == 0.5f ? x[i] / r : x[i] / base[i];
  }
}

void LrnBlock_Avx2(const LrnGeometry& g, const float* x, int64_t ob, int64_t p_begin, int64_t p_end, float* y,
                   float* scratch) {
  constexpr int64_t kChunk = kLrnChunk;
  const int64_t plane = g.pixels * kBlock;
  const int64_t first = ob * kBlock - g.before;                  // lane 0's first window channel
  const int64_t last = ob * kBlock + 7 - g.before + g.size - 1;  // lane 7's last one
  const int64_t b_lo = FloorDiv8(first), span = FloorDiv8(last) - b_lo + 1, row = span * kBlock;
  const int64_t off = first - b_lo * kBlock;
  float* tmp = scratch;  // kChunk rows of `row` floats, within LrnScratchFloats(g.size)
  const __m256 scale = _mm256_set1_ps(g.scale), bias = _mm256_set1_ps(g.bias);
  const __m256 out_mask = LaneMask(g.channels - ob * kBlock);
  const float* xo = x + ob * plane;
  float* yo = y + ob * plane;
  for (int64_t p0 = p_begin; p0 < p_end; p0 += kChunk) {
    const int64_t n = std::min(kChunk, p_end - p0);
    for (int64_t s = 0; s < span; ++s) {
      const int64_t b = b_lo + s;
      float* t = tmp + s * kBlock;
      if (b < 0 || b >= g.blocks) {
        for (int64_t i = 0; i < n; ++i) _mm256_storeu_ps(t + i * row, _mm256_setzero_ps());
        continue;
      }
      const __m256 mask = LaneMask(g.channels - b * kBlock);
      const float* xb = x + b * plane + p0 * kBlock;
      for (int64_t i = 0; i < n; ++i) {
        const __m256 v = _mm256_loadu_ps(xb + i * kBlock);
        _mm256_storeu_ps(t + i * row, _mm256_and_ps(_mm256_mul_ps(v, v), mask));
      }
    }
    for (int64_t i = 0; i < n; ++i) {
      const float* t = tmp + i * row + off;
      __m256 acc = _mm256_loadu_ps(t);
      for (int64_t k = 1; k < g.size; ++k) acc = _mm256_add_ps(acc, _mm256_loadu_ps(t + k));
      const __m256 base = _mm256_fmadd_ps(acc, scale, bias);
      const __m256 v = _mm256_loadu_ps(xo + (p0 + i) * kBlock);
      __m256 r;
      // AlexNet's and GoogLeNet's 0.75: base^0.75 = sqrt(base) * sqrt(sqrt(base)).
      if (g.beta == 0.75f || g.beta == 0.5f || g.beta == 1.0f) {
        r = DivideByPower8(v, base, g.beta);
      } else {
        alignas(32) float bl[8], vl[8];
        _mm256_store_ps(bl, base);
        _mm256_store_ps(vl, v);
        for (int l = 0; l < 8; ++l) vl[l] /= std::pow(bl[l], g.beta);
        r = _mm256_load_ps(vl);
      }
      _mm256_storeu_ps(yo + (p0 + i) * kBlock, _mm256_and_ps(r, out_mask));
    }
  }
}

}  // namespace onyx::cpu::nchwc
