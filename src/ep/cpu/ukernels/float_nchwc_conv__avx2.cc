// Direct convolution over blocked (NCHWc, c = 8) tensors with AVX2 + FMA. A tile is PX output pixels of OB
// output channel blocks held in OB * PX ymm accumulators: for every input channel of every input block and
// every kernel tap, OB weight vectors (8 output channels each) are loaded once and the input value of each
// pixel is broadcast once, giving OB * PX FMAs per OB + PX loads. With OB = 2, PX = 6 that is 12 independent
// accumulators, enough to cover the FMA latency of two pipes. Pixels are flattened over the output plane, so
// a tile may span rows and the tail of a small plane (7x7) is not a tile of one pixel per row.
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cmath>

#include "ep/cpu/ukernels/float_nchwc__avx2.h"

namespace onyx::cpu::nchwc {
namespace {

constexpr int kConvPx = 6;
constexpr int kDepthwisePx = 8;

// e^x for 8 floats: x = n ln 2 + r with |r| <= ln 2 / 2, e^r by its degree-6 Taylor polynomial (relative error
// below 2e-7 over the range), 2^n put into the exponent bits. Inputs are clamped to where e^x is a normal float
// (subnormal results cost a microcode assist per lane; the callers add them to 1, where they vanish anyway).
inline __m256 Exp8(__m256 x) {
  x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-86.0f)), _mm256_set1_ps(88.3f));
  const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504f)), _MM_FROUND_TO_NEAREST_INT);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693145752f), x);  // ln 2 in two parts, exact first product
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(1.42860677e-6f), r);
  __m256 p = _mm256_set1_ps(1.0f / 720);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 120));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 24));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 6));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.5f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
  const __m256i scale = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(p, _mm256_castsi256_ps(scale));
}

inline __m256 Sigmoid8(__m256 v) {
  const __m256 one = _mm256_set1_ps(1.0f);
  return _mm256_div_ps(one, _mm256_add_ps(one, Exp8(_mm256_sub_ps(_mm256_setzero_ps(), v))));
}

// Adds the residual, applies the activation and stores one blocked pixel. Tanh goes through the scalar library
// function (its small values need relative accuracy that 2 sigmoid(2x) - 1 does not give).
inline void Finish(float* y, const float* z, __m256 v, const Epilogue& e) {
  if (z) v = _mm256_add_ps(v, _mm256_loadu_ps(z));
  switch (e.activation) {
    case Activation::kNone:
      break;
    case Activation::kRelu:
      v = _mm256_max_ps(v, _mm256_setzero_ps());
      break;
    case Activation::kLeakyRelu: {
      const __m256 neg = _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_LT_OQ);
      v = _mm256_blendv_ps(v, _mm256_mul_ps(v, _mm256_set1_ps(e.p0)), neg);
      break;
    }
    case Activation::kHardSigmoid:
      v = _mm256_fmadd_ps(v, _mm256_set1_ps(e.p0), _mm256_set1_ps(e.p1));
      v = _mm256_min_ps(_mm256_max_ps(v, _mm256_setzero_ps()), _mm256_set1_ps(1.0f));
      break;
    case Activation::kClip:
      v = _mm256_min_ps(_mm256_max_ps(v, _mm256_set1_ps(e.p0)), _mm256_set1_ps(e.p1));
      break;
    case Activation::kHardSwish: {
      __m256 g = _mm256_add_ps(_mm256_div_ps(v, _mm256_set1_ps(6.0f)), _mm256_set1_ps(0.5f));
      g = _mm256_min_ps(_mm256_max_ps(g, _mm256_setzero_ps()), _mm256_set1_ps(1.0f));
      v = _mm256_mul_ps(v, g);
      break;
    }
    case Activation::kSigmoid:
      v = Sigmoid8(v);
      break;
    case Activation::kSilu:
      v = _mm256_mul_ps(v, Sigmoid8(v));
      break;
    case Activation::kTanh: {
      alignas(32) float t[kBlock];
      _mm256_store_ps(t, v);
      for (float& f : t) f = std::tanh(f);
      v = _mm256_load_ps(t);
      break;
    }
  }
  _mm256_storeu_ps(y, v);
}

// xbase: the image's first input block of the group; poff[p]: pixel p's input offset (floats) within a block;
// yoff[p]: its output offset within an output block plane.
// Reads `blocks` input blocks from xbase, whose weights start at block w_block of each output block's.
template <int OB, int PX>
__attribute__((noinline)) void ConvTile(const ConvImage& c, int64_t ob, const float* xbase, int64_t w_block,
                                        int64_t blocks, const int64_t* poff, const int64_t* yoff) {
  const int64_t kh_n = c.kernel_h, kw_n = c.kernel_w, taps = kh_n * kw_n;
  const int64_t xbs = c.in_h * c.in_w * kBlock, row = c.in_w * kBlock;
  const int64_t cbg = blocks;
  const int64_t wobs = c.in_blocks_per_group * taps * kBlock * kBlock;
  const float* w0 = c.w + ob * wobs + w_block * taps * kBlock * kBlock;
  __m256 acc[OB][PX];
  for (int o = 0; o < OB; ++o) {
    const __m256 b = c.bias ? _mm256_loadu_ps(c.bias + (ob + o) * kBlock) : _mm256_setzero_ps();
#pragma GCC unroll 8
    for (int p = 0; p < PX; ++p) acc[o][p] = b;
  }
  for (int64_t cb = 0; cb < cbg; ++cb) {
    const float* xp[PX];
#pragma GCC unroll 8
    for (int p = 0; p < PX; ++p) xp[p] = xbase + cb * xbs + poff[p];
    const float* wc = w0 + cb * taps * kBlock * kBlock;
    for (int64_t kh = 0; kh < kh_n; ++kh) {
      for (int64_t kw = 0; kw < kw_n; ++kw) {
        const int64_t tap = kh * c.dilation_h * row + kw * c.dilation_w * kBlock;
        const float* wt = wc + (kh * kw_n + kw) * kBlock * kBlock;
        const float* xt[PX];
#pragma GCC unroll 8
        for (int p = 0; p < PX; ++p) xt[p] = xp[p] + tap;
#pragma GCC unroll 8
        for (int ic = 0; ic < kBlock; ++ic) {
          __m256 wv[OB];
#pragma GCC unroll 4
          for (int o = 0; o < OB; ++o) wv[o] = _mm256_loadu_ps(wt + o * wobs + ic * kBlock);
#pragma GCC unroll 8
          for (int p = 0; p < PX; ++p) {
            const __m256 xb = _mm256_broadcast_ss(xt[p] + ic);
#pragma GCC unroll 4
            for (int o = 0; o < OB; ++o) acc[o][p] = _mm256_fmadd_ps(wv[o], xb, acc[o][p]);
          }
        }
      }
    }
  }
  const int64_t plane = c.out_h * c.out_w * kBlock;
  for (int o = 0; o < OB; ++o) {
    float* y = c.y + (ob + o) * plane;
    const float* z = c.z ? c.z + (ob + o) * plane : nullptr;
#pragma GCC unroll 8
    for (int p = 0; p < PX; ++p) Finish(y + yoff[p], z ? z + yoff[p] : nullptr, acc[o][p], c.epilogue);
  }
}

template <int OB>
void ConvTileN(int px, const ConvImage& c, int64_t ob, const float* xbase, int64_t w_block, int64_t blocks,
               const int64_t* poff, const int64_t* yoff) {
  switch (px) {
    case 1:
      return ConvTile<OB, 1>(c, ob, xbase, w_block, blocks, poff, yoff);
    case 2:
      return ConvTile<OB, 2>(c, ob, xbase, w_block, blocks, poff, yoff);
    case 3:
      return ConvTile<OB, 3>(c, ob, xbase, w_block, blocks, poff, yoff);
    case 4:
      return ConvTile<OB, 4>(c, ob, xbase, w_block, blocks, poff, yoff);
    case 5:
      return ConvTile<OB, 5>(c, ob, xbase, w_block, blocks, poff, yoff);
    default:
      return ConvTile<OB, 6>(c, ob, xbase, w_block, blocks, poff, yoff);
  }
}

template <int PX>
void DepthwiseTile(const ConvImage& c, int64_t b, const int64_t* poff, const int64_t* yoff) {
  const int64_t kh_n = c.kernel_h, kw_n = c.kernel_w;
  const int64_t row = c.in_w * kBlock;
  const float* x = c.x + b * c.in_h * c.in_w * kBlock;
  const float* w = c.w + b * kh_n * kw_n * kBlock;
  const __m256 bias = c.bias ? _mm256_loadu_ps(c.bias + b * kBlock) : _mm256_setzero_ps();
  __m256 acc[PX];
  for (int p = 0; p < PX; ++p) acc[p] = bias;
  for (int64_t kh = 0; kh < kh_n; ++kh) {
    for (int64_t kw = 0; kw < kw_n; ++kw) {
      const __m256 wv = _mm256_loadu_ps(w + (kh * kw_n + kw) * kBlock);
      const float* xt = x + kh * c.dilation_h * row + kw * c.dilation_w * kBlock;
      for (int p = 0; p < PX; ++p) acc[p] = _mm256_fmadd_ps(_mm256_loadu_ps(xt + poff[p]), wv, acc[p]);
    }
  }
  const int64_t plane = c.out_h * c.out_w * kBlock;
  float* y = c.y + b * plane;
  const float* z = c.z ? c.z + b * plane : nullptr;
  for (int p = 0; p < PX; ++p) Finish(y + yoff[p], z ? z + yoff[p] : nullptr, acc[p], c.epilogue);
}

// Fills the input and output offsets of pixels [p, p + n).
inline void PixelOffsets(const ConvImage& c, int64_t p, int n, int64_t* poff, int64_t* yoff) {
  int64_t oh = p / c.out_w, ow = p % c.out_w;
  for (int i = 0; i < n; ++i) {
    poff[i] = (oh * c.stride_h * c.in_w + ow * c.stride_w) * kBlock;
    yoff[i] = (p + i) * kBlock;
    if (++ow == c.out_w) ow = 0, ++oh;
  }
}

}  // namespace

void ConvBlocks_Avx2(const ConvImage& c, int64_t ob_begin, int64_t ob_count, int64_t in_block_begin, int64_t w_block,
                     int64_t blocks, int64_t p_begin, int64_t p_end) {
  const float* xbase = c.x + in_block_begin * c.in_h * c.in_w * kBlock;
  int64_t poff[kConvPx], yoff[kConvPx];
  for (int64_t p = p_begin; p < p_end; p += kConvPx) {
    const int n = static_cast<int>(std::min<int64_t>(kConvPx, p_end - p));
    PixelOffsets(c, p, n, poff, yoff);
    if (ob_count == 2) {
      ConvTileN<2>(n, c, ob_begin, xbase, w_block, blocks, poff, yoff);
    } else {
      ConvTileN<1>(n, c, ob_begin, xbase, w_block, blocks, poff, yoff);
    }
  }
}

void DepthwiseBlock_Avx2(const ConvImage& c, int64_t b, int64_t p_begin, int64_t p_end) {
  int64_t poff[kDepthwisePx], yoff[kDepthwisePx];
  for (int64_t p = p_begin; p < p_end; p += kDepthwisePx) {
    const int n = static_cast<int>(std::min<int64_t>(kDepthwisePx, p_end - p));
    PixelOffsets(c, p, n, poff, yoff);
    switch (n) {
      case 1:
        DepthwiseTile<1>(c, b, poff, yoff);
        break;
      case 2:
        DepthwiseTile<2>(c, b, poff, yoff);
        break;
      case 3:
        DepthwiseTile<3>(c, b, poff, yoff);
        break;
      case 4:
        DepthwiseTile<4>(c, b, poff, yoff);
        break;
      case 5:
        DepthwiseTile<5>(c, b, poff, yoff);
        break;
      case 6:
        DepthwiseTile<6>(c, b, poff, yoff);
        break;
      case 7:
        DepthwiseTile<7>(c, b, poff, yoff);
        break;
      default:
        DepthwiseTile<8>(c, b, poff, yoff);
        break;
    }
  }
}

void ApplyEpilogue_Avx2(float* y, const float* z, int64_t n, const Epilogue& e) {
  for (int64_t i = 0; i < n; ++i)
    Finish(y + i * kBlock, z ? z + i * kBlock : nullptr, _mm256_loadu_ps(y + i * kBlock), e);
}

}  // namespace onyx::cpu::nchwc
