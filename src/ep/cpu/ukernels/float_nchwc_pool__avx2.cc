// Pooling over one blocked plane [H][W][8] with AVX2: each window is a max or a sum of 8-channel vectors.
#include "ep/cpu/ukernels/float_nchwc_pool__avx2.h"

#include <immintrin.h>

#include <algorithm>
#include <limits>

namespace onyx::cpu::nchwc {
namespace {

inline int64_t CeilDivNonNeg(int64_t a, int64_t b) { return a <= 0 ? 0 : (a + b - 1) / b; }

}  // namespace

void PoolPlane_Avx2(const PoolGeometry& g, bool is_max, bool count_include_pad, const float* x, float* y,
                    int64_t row_begin, int64_t row_end) {
  // Columns [c0, c1) have their whole window inside the input (no per-pixel bounds: divisions per pixel cost more
  // than the window's 9 loads); the rest take the taps inside, one pixel at a time.
  const int64_t reach = (g.kernel_w - 1) * g.dilation_w;
  const int64_t c0 = std::min(g.out_w, CeilDivNonNeg(g.pad_left, g.stride_w));
  const int64_t c1 = std::max(
      c0, std::min(g.out_w, g.in_w - reach + g.pad_left <= 0 ? 0 : (g.in_w - 1 - reach + g.pad_left) / g.stride_w + 1));
  const __m256 lowest = _mm256_set1_ps(std::numeric_limits<float>::lowest());
  for (int64_t oh = row_begin; oh < row_end; ++oh) {
    const int64_t h0 = oh * g.stride_h - g.pad_top;
    // Taps k with h0 + k * dilation inside [0, in_h): [kh_lo, kh_hi); inside the explicitly padded input: kh_pad.
    const int64_t kh_lo = std::min(g.kernel_h, CeilDivNonNeg(-h0, g.dilation_h));
    const int64_t kh_hi = std::max(kh_lo, std::min(g.kernel_h, CeilDivNonNeg(g.in_h - h0, g.dilation_h)));
    const int64_t kh_pad = std::min(g.kernel_h, CeilDivNonNeg(g.in_h + g.pad_bottom - h0, g.dilation_h));
    float* yrow = y + oh * g.out_w * 8;
    auto pixel = [&](int64_t ow, int64_t kw_lo, int64_t kw_hi, int64_t kw_pad) {
      const int64_t w0 = ow * g.stride_w - g.pad_left;
      __m256 acc = is_max ? lowest : _mm256_setzero_ps();
      for (int64_t kh = kh_lo; kh < kh_hi; ++kh) {
        const float* row = x + ((h0 + kh * g.dilation_h) * g.in_w + w0) * 8;
        for (int64_t kw = kw_lo; kw < kw_hi; ++kw) {
          const __m256 v = _mm256_loadu_ps(row + kw * g.dilation_w * 8);
          acc = is_max ? _mm256_max_ps(acc, v) : _mm256_add_ps(acc, v);
        }
      }
      if (!is_max) {
        const int64_t count = count_include_pad ? kh_pad * kw_pad : (kh_hi - kh_lo) * (kw_hi - kw_lo);
        acc = count > 0 ? _mm256_div_ps(acc, _mm256_set1_ps(static_cast<float>(count))) : _mm256_setzero_ps();
      }
      _mm256_storeu_ps(yrow + ow * 8, acc);
    };
    auto border = [&](int64_t ow) {
      const int64_t w0 = ow * g.stride_w - g.pad_left;
      const int64_t kw_lo = std::min(g.kernel_w, CeilDivNonNeg(-w0, g.dilation_w));
      const int64_t kw_hi = std::max(kw_lo, std::min(g.kernel_w, CeilDivNonNeg(g.in_w - w0, g.dilation_w)));
      pixel(ow, kw_lo, kw_hi, std::min(g.kernel_w, CeilDivNonNeg(g.in_w + g.pad_right - w0, g.dilation_w)));
    };
    for (int64_t ow = 0; ow < c0; ++ow) border(ow);
    if (is_max && g.kernel_w == 3 && g.dilation_w == 1) {  // the common 3-wide window, unrolled
      for (int64_t ow = c0; ow < c1; ++ow) {
        __m256 acc = lowest;
        for (int64_t kh = kh_lo; kh < kh_hi; ++kh) {
          const float* row = x + ((h0 + kh * g.dilation_h) * g.in_w + ow * g.stride_w - g.pad_left) * 8;
          acc = _mm256_max_ps(acc, _mm256_max_ps(_mm256_loadu_ps(row), _mm256_loadu_ps(row + 8)));
          acc = _mm256_max_ps(acc, _mm256_loadu_ps(row + 16));
        }
        _mm256_storeu_ps(yrow + ow * 8, acc);
      }
    } else {
      for (int64_t ow = c0; ow < c1; ++ow) pixel(ow, 0, g.kernel_w, g.kernel_w);
    }
    for (int64_t ow = std::max(c0, c1); ow < g.out_w; ++ow) border(ow);
  }
}

void GlobalAveragePlane_Avx2(const float* x, int64_t hw, float* y) {
  __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
  int64_t p = 0;
  for (; p + 2 <= hw; p += 2) {
    a0 = _mm256_add_ps(a0, _mm256_loadu_ps(x + p * 8));
    a1 = _mm256_add_ps(a1, _mm256_loadu_ps(x + p * 8 + 8));
  }
  if (p < hw) a0 = _mm256_add_ps(a0, _mm256_loadu_ps(x + p * 8));
  const __m256 sum = _mm256_add_ps(a0, a1);
  _mm256_storeu_ps(y, hw > 0 ? _mm256_div_ps(sum, _mm256_set1_ps(static_cast<float>(hw))) : _mm256_setzero_ps());
}

}  // namespace onyx::cpu::nchwc
