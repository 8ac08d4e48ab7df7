// The NCHWc depthwise convolution tile with 512-bit vectors (this file alone is compiled with AVX-512 enabled, see
// CMakeLists.txt; called only after a run-time check).
#include <immintrin.h>

#include <algorithm>

#include "ep/cpu/ukernels/float_nchwc__avx2.h"

#if !defined(__AVX512F__) || !defined(__AVX512DQ__)
#error "float_nchwc_depthwise__avx512.cc must be compiled with AVX-512 (F, DQ) enabled"
#endif

// GCC 12's _mm512_max_ps passes an undefined vector as the unused merge source and then warns about it.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace onyx::cpu::nchwc {
namespace {

inline __m512 Join(const float* lo, const float* hi) {
  return _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(lo)), _mm256_loadu_ps(hi), 1);
}

// Depthwise: one zmm holds two consecutive output pixels of one block (16 floats, adjacent in the output).
// Their inputs are two 8-float rows joined, or one 16-float load when they are adjacent (stride 1 within a
// row); each tap's 8 weights are broadcast to both halves. PP pairs per tile.
constexpr int kDwPairs = 8;

template <int PP, bool kAdjacent>
__attribute__((noinline)) void DepthwiseTile(const ConvImage& c, int64_t b, const int64_t* poff, int64_t p0) {
  const int64_t kh_n = c.kernel_h, kw_n = c.kernel_w, row = c.in_w * kBlock;
  const float* x = c.x + b * c.in_h * c.in_w * kBlock;
  const float* w = c.w + b * kh_n * kw_n * kBlock;
  const __m512 bias = c.bias ? _mm512_broadcast_f32x8(_mm256_loadu_ps(c.bias + b * kBlock)) : _mm512_setzero_ps();
  __m512 acc[PP];
#pragma GCC unroll 8
  for (int i = 0; i < PP; ++i) acc[i] = bias;
  for (int64_t kh = 0; kh < kh_n; ++kh) {
    for (int64_t kw = 0; kw < kw_n; ++kw) {
      const __m512 wv = _mm512_broadcast_f32x8(_mm256_loadu_ps(w + (kh * kw_n + kw) * kBlock));
      const float* xt = x + kh * c.dilation_h * row + kw * c.dilation_w * kBlock;
#pragma GCC unroll 8
      for (int i = 0; i < PP; ++i) {
        const __m512 xv = kAdjacent ? _mm512_loadu_ps(xt + poff[2 * i]) : Join(xt + poff[2 * i], xt + poff[2 * i + 1]);
        acc[i] = _mm512_fmadd_ps(xv, wv, acc[i]);
      }
    }
  }
  const int64_t plane = c.out_h * c.out_w * kBlock;
  float* y = c.y + b * plane + p0 * kBlock;
  const float* z = c.z ? c.z + b * plane + p0 * kBlock : nullptr;
  const bool relu = c.epilogue.activation == Activation::kRelu;
#pragma GCC unroll 8
  for (int i = 0; i < PP; ++i) {
    __m512 v = acc[i];
    if (z) v = _mm512_add_ps(v, _mm512_loadu_ps(z + 2 * i * kBlock));
    if (relu) v = _mm512_max_ps(v, _mm512_setzero_ps());
    _mm512_storeu_ps(y + 2 * i * kBlock, v);
  }
  if (!relu && c.epilogue.activation != Activation::kNone) ApplyEpilogue_Avx2(y, nullptr, 2 * PP, c.epilogue);
}

template <bool kAdjacent>
void DepthwiseTileN(int pairs, const ConvImage& c, int64_t b, const int64_t* poff, int64_t p0) {
  switch (pairs) {
    case 1:
      return DepthwiseTile<1, kAdjacent>(c, b, poff, p0);
    case 2:
      return DepthwiseTile<2, kAdjacent>(c, b, poff, p0);
    case 3:
      return DepthwiseTile<3, kAdjacent>(c, b, poff, p0);
    case 4:
      return DepthwiseTile<4, kAdjacent>(c, b, poff, p0);
    case 5:
      return DepthwiseTile<5, kAdjacent>(c, b, poff, p0);
    case 6:
      return DepthwiseTile<6, kAdjacent>(c, b, poff, p0);
    case 7:
      return DepthwiseTile<7, kAdjacent>(c, b, poff, p0);
    default:
      return DepthwiseTile<8, kAdjacent>(c, b, poff, p0);
  }
}

}  // namespace

void DepthwiseBlock_Avx512(const ConvImage& c, int64_t b, int64_t p_begin, int64_t p_end) {
  int64_t poff[2 * kDwPairs];
  int64_t p = p_begin;
  while (p_end - p >= 2) {
    const int pairs = static_cast<int>(std::min<int64_t>(kDwPairs, (p_end - p) / 2));
    int64_t oh = p / c.out_w, ow = p % c.out_w;
    bool adjacent = true;
    for (int i = 0; i < 2 * pairs; ++i) {
      poff[i] = (oh * c.stride_h * c.in_w + ow * c.stride_w) * kBlock;
      if (i % 2 == 1 && poff[i] != poff[i - 1] + kBlock) adjacent = false;
      if (++ow == c.out_w) ow = 0, ++oh;
    }
    if (adjacent) {
      DepthwiseTileN<true>(pairs, c, b, poff, p);
    } else {
      DepthwiseTileN<false>(pairs, c, b, poff, p);
    }
    p += 2 * pairs;
  }
  if (p < p_end) DepthwiseBlock_Avx2(c, b, p, p_end);  // an odd last pixel
}

}  // namespace onyx::cpu::nchwc
