// The NCHWc depthwise convolution with 512-bit vectors (this file alone is compiled with AVX-512 enabled, see
// CMakeLists.txt; called only after a run-time check). It reads the input unpadded: a depthwise output is a short
// sum, so copying the input into a zero-bordered buffer would cost as much as the convolution. Rows whose window
// leaves the input take only the kernel rows inside it; columns near the left and right edges are summed one pixel
// at a time over their valid taps (8 channels in a ymm); the interior columns hold two output pixels of one block in
// a zmm, loaded at once when the pixels are adjacent in the input (stride 1) and joined from two loads otherwise.
#include <immintrin.h>

#include <algorithm>

#include "ep/cpu/ukernels/float_nchwc__avx2.h"

#if !defined(__AVX512F__) || !defined(__AVX512DQ__)
#error "float_nchwc_depthwise__avx512.cc must be compiled with AVX-512 (F, DQ) enabled"
#endif

// GCC 12's _mm512_max_ps and _mm512_castps256_ps512 pass undefined vectors and then warn about them.
#if !defined(__clang__)  // a GCC-only warning; clang would report the unknown name
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#pragma GCC diagnostic ignored "-Wuninitialized"

namespace onyx::cpu::nchwc {
namespace {

inline __m512 Join(const float* lo, const float* hi) {
  return _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(lo)), _mm256_loadu_ps(hi), 1);
}

inline int64_t CeilDiv(int64_t a, int64_t b) { return a <= 0 ? 0 : (a + b - 1) / b; }

struct Row {
  const float* x;  // the input block plane
  const float* w;  // the block's weights [kh][kw][8]
  __m512 bias;
  float* y;             // the output row
  const float* z;       // its residual row, or null
  int64_t ih0, i0, i1;  // the window's first input row, and the kernel rows [i0, i1) inside the input
  bool relu;
};

constexpr int kPairs = 8;

// PP pairs of interior output pixels from column ow: every kernel column is inside the input.
template <int PP, bool kAdjacent>
__attribute__((noinline)) void InteriorTile(const ConvImage& c, const Row& r, int64_t ow) {
  const int64_t row = c.in_w * kBlock, sw = c.stride_w * kBlock;
  __m512 acc[PP];
#pragma GCC unroll 8
  for (int i = 0; i < PP; ++i) acc[i] = r.bias;
  const float* x0 = r.x + (ow * c.stride_w - c.pad_left) * kBlock;
  for (int64_t i = r.i0; i < r.i1; ++i) {
    const float* xr = x0 + (r.ih0 + i * c.dilation_h) * row;
    const float* wr = r.w + i * c.kernel_w * kBlock;
    for (int64_t j = 0; j < c.kernel_w; ++j) {
      const __m512 wv = _mm512_broadcast_f32x8(_mm256_loadu_ps(wr + j * kBlock));
      const float* xt = xr + j * c.dilation_w * kBlock;
#pragma GCC unroll 8
      for (int p = 0; p < PP; ++p) {
        const __m512 xv =
            kAdjacent ? _mm512_loadu_ps(xt + 2 * p * kBlock) : Join(xt + 2 * p * sw, xt + (2 * p + 1) * sw);
        acc[p] = _mm512_fmadd_ps(xv, wv, acc[p]);
      }
    }
  }
  float* y = r.y + ow * kBlock;
  const float* z = r.z ? r.z + ow * kBlock : nullptr;
#pragma GCC unroll 8
  for (int p = 0; p < PP; ++p) {
    __m512 v = acc[p];
    if (z) v = _mm512_add_ps(v, _mm512_loadu_ps(z + 2 * p * kBlock));
    if (r.relu) v = _mm512_max_ps(v, _mm512_setzero_ps());
    _mm512_storeu_ps(y + 2 * p * kBlock, v);
  }
}

template <bool kAdjacent>
void Interior(int pairs, const ConvImage& c, const Row& r, int64_t ow) {
  switch (pairs) {
    case 1:
      return InteriorTile<1, kAdjacent>(c, r, ow);
    case 2:
      return InteriorTile<2, kAdjacent>(c, r, ow);
    case 3:
      return InteriorTile<3, kAdjacent>(c, r, ow);
    case 4:
      return InteriorTile<4, kAdjacent>(c, r, ow);
    case 5:
      return InteriorTile<5, kAdjacent>(c, r, ow);
    case 6:
      return InteriorTile<6, kAdjacent>(c, r, ow);
    case 7:
      return InteriorTile<7, kAdjacent>(c, r, ow);
    default:
      return InteriorTile<8, kAdjacent>(c, r, ow);
  }
}

// One output pixel over the kernel columns inside the input.
void Pixel(const ConvImage& c, const Row& r, int64_t ow) {
  const int64_t iw0 = ow * c.stride_w - c.pad_left;
  const int64_t j0 = std::min(c.kernel_w, CeilDiv(-iw0, c.dilation_w));
  const int64_t j1 = std::max(j0, std::min(c.kernel_w, CeilDiv(c.in_w - iw0, c.dilation_w)));
  __m256 acc = _mm512_castps512_ps256(r.bias);
  for (int64_t i = r.i0; i < r.i1; ++i) {
    const float* xr = r.x + ((r.ih0 + i * c.dilation_h) * c.in_w + iw0) * kBlock;
    const float* wr = r.w + i * c.kernel_w * kBlock;
    for (int64_t j = j0; j < j1; ++j) {
      acc = _mm256_fmadd_ps(_mm256_loadu_ps(xr + j * c.dilation_w * kBlock), _mm256_loadu_ps(wr + j * kBlock), acc);
    }
  }
  if (r.z) acc = _mm256_add_ps(acc, _mm256_loadu_ps(r.z + ow * kBlock));
  if (r.relu) acc = _mm256_max_ps(acc, _mm256_setzero_ps());
  _mm256_storeu_ps(r.y + ow * kBlock, acc);
}

}  // namespace

void DepthwiseRows_Avx512(const ConvImage& c, int64_t b, int64_t row_begin, int64_t row_end) {
  const int64_t plane = c.out_h * c.out_w * kBlock;
  Row r{};
  r.x = c.x + b * c.in_h * c.in_w * kBlock;
  r.w = c.w + b * c.kernel_h * c.kernel_w * kBlock;
  r.bias = c.bias ? _mm512_broadcast_f32x8(_mm256_loadu_ps(c.bias + b * kBlock)) : _mm512_setzero_ps();
  r.relu = c.epilogue.activation == Activation::kRelu;
  // Interior columns [c0, c1): every kernel column inside the input.
  const int64_t reach = (c.kernel_w - 1) * c.dilation_w;
  const int64_t c0 = std::min(c.out_w, CeilDiv(c.pad_left, c.stride_w));
  const int64_t c1 = std::max(
      c0, std::min(c.out_w, c.in_w - reach + c.pad_left <= 0 ? 0 : (c.in_w - 1 - reach + c.pad_left) / c.stride_w + 1));
  const bool adjacent = c.stride_w == 1;
  for (int64_t oh = row_begin; oh < row_end; ++oh) {
    r.ih0 = oh * c.stride_h - c.pad_top;
    r.i0 = std::min(c.kernel_h, CeilDiv(-r.ih0, c.dilation_h));
    r.i1 = std::max(r.i0, std::min(c.kernel_h, CeilDiv(c.in_h - r.ih0, c.dilation_h)));
    r.y = c.y + b * plane + oh * c.out_w * kBlock;
    r.z = c.z ? c.z + b * plane + oh * c.out_w * kBlock : nullptr;
    for (int64_t ow = 0; ow < c0; ++ow) Pixel(c, r, ow);
    int64_t ow = c0;
    while (c1 - ow >= 2) {
      const int pairs = static_cast<int>(std::min<int64_t>(kPairs, (c1 - ow) / 2));
      if (adjacent) {
        Interior<true>(pairs, c, r, ow);
      } else {
        Interior<false>(pairs, c, r, ow);
      }
      ow += 2 * pairs;
    }
    for (; ow < c.out_w; ++ow) Pixel(c, r, ow);
    if (!r.relu && c.epilogue.activation != Activation::kNone) ApplyEpilogue_Avx2(r.y, nullptr, c.out_w, c.epilogue);
  }
}

}  // namespace onyx::cpu::nchwc
