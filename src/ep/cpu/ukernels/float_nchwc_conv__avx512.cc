// The NCHWc direct convolution with 512-bit vectors (this file alone is compiled with AVX-512 enabled, see
// CMakeLists.txt; the kernel calls it only after a run-time check). Tensors stay blocked by 8 channels; a zmm holds
// one output pixel of a pair of output blocks (16 channels), whose weights the kernel repacked so that one load
// gives the 16 output channels of one input channel.
//
// A tile is NP pairs x R rows x C columns of output pixels, held in NP * R * C accumulators (at most 28, leaving
// registers for the NP weight vectors and one broadcast). Pixels of a row are SW * 8 floats apart in the input, a
// compile-time distance, so every input read is one base pointer plus a constant (plus the row distance for the
// second row): no per-pixel pointers to keep in general registers. For each input channel: NP weight loads, R * C
// broadcasts and NP * R * C FMAs. Rows of 7 or fewer pixels are taken two at a time so a 7x7 plane still fills 28
// accumulators.
#include <immintrin.h>

#include <array>
#include <utility>

#include "ep/cpu/ukernels/float_nchwc__avx2.h"

#if !defined(__AVX512F__) || !defined(__AVX512DQ__)
#error "float_nchwc_conv__avx512.cc must be compiled with AVX-512 (F, DQ) enabled"
#endif

// GCC 12's _mm512_max_ps and _mm512_castps256_ps512 pass undefined vectors and then warn about them.
#if !defined(__clang__)  // a GCC-only warning; clang would report the unknown name
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#pragma GCC diagnostic ignored "-Wuninitialized"

namespace onyx::cpu::nchwc {
namespace {

constexpr int kMaxCols = 14;             // columns of a one-row tile
constexpr int kMaxCols2 = 7;             // columns of a two-row tile
constexpr int64_t kPairW = 16 * kBlock;  // packed weight floats per tap of one pair
// Weights past what L2 keeps between runs (the 7x7 stage of ResNet-50 has 4 to 9 MiB a layer) come from L3 or
// memory for the first tile of each unit, one cache line per 14 FMAs: the tile prefetches them this many taps ahead
// (8 KiB a pair, about 1500 cycles of work). Smaller weights stay in L2, where the prefetches only cost load slots.
constexpr int64_t kPrefetch = 16 * kPairW;
constexpr int64_t kPrefetchBytes = 1 << 20;

struct TileArgs {
  const float* x;     // input of the tile's first pixel at tap (0, 0) of the group's first input block
  const float* w;     // the first pair's weights
  const float* bias;  // the first pair's 16 bias values, or null
  float* y[2][2];     // [pair][half]: output block plane at the tile's first pixel (high half null when absent)
  const float* z[2][2];
  int64_t x_row, y_row;               // floats between the tile's rows in the input / in an output plane
  int64_t x_block, x_tap_h, x_tap_w;  // floats between input blocks, kernel rows, kernel columns
  int64_t w_pair;                     // floats between consecutive pairs' weights
  int64_t blocks, kh, kw, in_channels;
  bool relu;
  bool prefetch_x;  // prefetch the input two blocks ahead (1x1 convolutions)
};

inline __m512 Join(const float* lo, const float* hi) {
  return _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(lo)), _mm256_loadu_ps(hi), 1);
}

// One input channel: x points at its value for the tile's first pixel, w at its 16 weights of the first pair.
template <int NP, int R, int C, int SW>
inline __attribute__((always_inline)) void Step(__m512 (&acc)[NP][R * C], const float* w, int64_t w_pair,
                                                const float* x, int64_t x_row) {
  __m512 wv[NP];
#pragma GCC unroll 2
  for (int q = 0; q < NP; ++q) wv[q] = _mm512_loadu_ps(w + q * w_pair);
#pragma GCC unroll 2
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 14
    for (int c = 0; c < C; ++c) {
      const __m512 b = _mm512_set1_ps(x[r * x_row + c * SW * kBlock]);
#pragma GCC unroll 2
      for (int q = 0; q < NP; ++q) acc[q][r * C + c] = _mm512_fmadd_ps(wv[q], b, acc[q][r * C + c]);
    }
  }
}

// kFull: all 8 channels of every input block are used (unrolled); otherwise a.in_channels of one block (an NCHW
// input of fewer than 8 channels, blocked with zero padding that need not be multiplied). kPf: prefetch the weights
// (a compile-time choice: a run-time test in the tap loop cost the convolutions that do not prefetch 2-3%).
template <int NP, int R, int C, int SW, bool kFull, bool kPf>
__attribute__((noinline)) void Tile(const TileArgs& a) {
  __m512 acc[NP][R * C];
#pragma GCC unroll 2
  for (int q = 0; q < NP; ++q) {
    const __m512 b = a.bias ? _mm512_loadu_ps(a.bias + 16 * q) : _mm512_setzero_ps();
#pragma GCC unroll 28
    for (int p = 0; p < R * C; ++p) acc[q][p] = b;
  }
  const float* w = a.w;
  const int64_t w_pair = a.w_pair, x_row = a.x_row;
  for (int64_t cb = 0; cb < a.blocks; ++cb) {
    const float* xb = a.x + cb * a.x_block;
    if (a.prefetch_x) {
      // A 1x1 tile reads each input block's pixels once, a plane (often a multiple of 4 KiB) after the previous
      // block's: too far for the hardware prefetchers, and 7 L2 misses a block with no later reuse to hide them.
      // Prefetched two blocks ahead, CenterFace's 1x1 convolutions ran 3% faster, ResNet-50's 1%; the same for the
      // 3x3 ones, which reuse their input rows across taps, cost 2-3%.
      const int64_t bytes = ((C - 1) * SW + 1) * kBlock * static_cast<int64_t>(sizeof(float));
#pragma GCC unroll 2
      for (int r = 0; r < R; ++r) {
        const char* nx = reinterpret_cast<const char*>(xb + 2 * a.x_block + r * a.x_row);
        for (int64_t l = 0; l < bytes; l += 64) _mm_prefetch(nx + l, _MM_HINT_T0);
      }
    }
    for (int64_t i = 0; i < a.kh; ++i) {
      const float* xr = xb + i * a.x_tap_h;
      for (int64_t j = 0; j < a.kw; ++j, w += kPairW) {
        const float* x0 = xr + j * a.x_tap_w;
        if constexpr (kPf) {
#pragma GCC unroll 2
          for (int q = 0; q < NP; ++q) {
#pragma GCC unroll 8
            for (int l = 0; l < 8; ++l)
              _mm_prefetch(reinterpret_cast<const char*>(w + q * w_pair + kPrefetch + l * 16), _MM_HINT_T0);
          }
        }
        if constexpr (kFull) {
#pragma GCC unroll 8
          for (int ic = 0; ic < kBlock; ++ic) Step<NP, R, C, SW>(acc, w + ic * 16, w_pair, x0 + ic, x_row);
        } else {
          for (int64_t ic = 0; ic < a.in_channels; ++ic) Step<NP, R, C, SW>(acc, w + ic * 16, w_pair, x0 + ic, x_row);
        }
      }
    }
  }
#pragma GCC unroll 2
  for (int q = 0; q < NP; ++q) {
    float* ylo = a.y[q][0];
    float* yhi = a.y[q][1];
    const float* zlo = a.z[q][0];
    const float* zhi = a.z[q][1] ? a.z[q][1] : zlo;  // an absent high half is computed but never stored
#pragma GCC unroll 2
    for (int r = 0; r < R; ++r) {
#pragma GCC unroll 14
      for (int c = 0; c < C; ++c) {
        const int64_t off = r * a.y_row + c * kBlock;
        __m512 v = acc[q][r * C + c];
        if (zlo) v = _mm512_add_ps(v, Join(zlo + off, zhi + off));
        if (a.relu) v = _mm512_max_ps(v, _mm512_setzero_ps());
        _mm256_storeu_ps(ylo + off, _mm512_castps512_ps256(v));
        if (yhi) _mm256_storeu_ps(yhi + off, _mm512_extractf32x8_ps(v, 1));
      }
    }
  }
}

using TileFn = void (*)(const TileArgs&);

template <int NP, int R, int SW, bool kFull, bool kPf, size_t... I>
constexpr auto Widths(std::index_sequence<I...>) {
  return std::array<TileFn, sizeof...(I)>{&Tile<NP, R, static_cast<int>(I) + 1, SW, kFull, kPf>...};
}

// [np - 1][width - 1] for one-row tiles (two-row ones: the first kMaxCols2 entries of the second table).
template <int SW, bool kFull, bool kPf>
struct Tables {
  static constexpr std::array<std::array<TileFn, kMaxCols>, 2> one = {
      Widths<1, 1, SW, kFull, kPf>(std::make_index_sequence<kMaxCols>()),
      Widths<2, 1, SW, kFull, kPf>(std::make_index_sequence<kMaxCols>())};
  static constexpr std::array<std::array<TileFn, kMaxCols2>, 2> two = {
      Widths<1, 2, SW, kFull, kPf>(std::make_index_sequence<kMaxCols2>()),
      Widths<2, 2, SW, kFull, kPf>(std::make_index_sequence<kMaxCols2>())};
};

template <int SW, bool kPf>
TileFn PickFull(int np, int rows, int width) {
  using T = Tables<SW, true, kPf>;
  return rows == 2 ? T::two[np - 1][width - 1] : T::one[np - 1][width - 1];
}

// A partial input block (the first convolution's NCHW input) has one-row tiles only and never prefetches: its
// weights are one block deep.
TileFn Pick(int sw, bool full, bool pf, int np, int rows, int width) {
  if (!full)
    return sw == 1 ? Tables<1, false, false>::one[np - 1][width - 1] : Tables<2, false, false>::one[np - 1][width - 1];
  if (sw == 1) return pf ? PickFull<1, true>(np, rows, width) : PickFull<1, false>(np, rows, width);
  return pf ? PickFull<2, true>(np, rows, width) : PickFull<2, false>(np, rows, width);
}

}  // namespace

void ConvPairs_Avx512(const ConvImage& c, const PairConv& pc, const PairUnit& u, int64_t row_begin, int64_t row_end,
                      int64_t col_begin, int64_t col_end) {
  const bool full = pc.in_channels == kBlock;
  const int64_t taps = c.kernel_h * c.kernel_w;
  const int64_t plane = c.out_h * c.out_w * kBlock;
  TileArgs a{};
  a.w_pair = c.in_blocks_per_group * taps * kPairW;
  a.w = pc.w + u.pair * a.w_pair + u.w_block * taps * kPairW;
  a.bias = pc.bias ? pc.bias + u.pair * 16 : nullptr;
  a.x_block = c.x_plane ? c.x_plane : c.in_h * c.in_w * kBlock;
  a.x_tap_h = c.dilation_h * c.in_w * kBlock;
  a.x_tap_w = c.dilation_w * kBlock;
  a.y_row = c.out_w * kBlock;
  a.blocks = u.blocks;
  a.kh = c.kernel_h;
  a.kw = c.kernel_w;
  a.in_channels = pc.in_channels;
  a.relu = c.epilogue.activation == Activation::kRelu;
  a.prefetch_x = c.kernel_h * c.kernel_w == 1;
  const bool prefetch = pc.weight_bytes >= kPrefetchBytes;
  const bool other_activation = !a.relu && c.epilogue.activation != Activation::kNone;
  const float* xg = c.x + u.in_block * a.x_block;
  const int64_t width = col_end - col_begin;
  for (int64_t oh = row_begin; oh < row_end;) {
    const int rows = full && width <= kMaxCols2 && oh + 1 < row_end ? 2 : 1;
    a.x_row = c.stride_h * c.in_w * kBlock;
    const int64_t max_cols = rows == 2 ? kMaxCols2 : kMaxCols;
    // Equal tiles: a 15-pixel row is 8 + 7, not 14 + 1 (a one-pixel tile cannot hide the FMA latency).
    const int64_t tiles = (width + max_cols - 1) / max_cols;
    int64_t col = col_begin;
    for (int64_t t = 0; t < tiles; ++t) {
      const int cols = static_cast<int>((col_end - col + (tiles - t) - 1) / (tiles - t));
      a.x = xg + ((oh * c.stride_h - c.x_row0) * c.in_w + col * c.stride_w) * kBlock;
      const int64_t yoff = (oh * c.out_w + col) * kBlock;
      for (int q = 0; q < u.np; ++q) {
        const int64_t ob = u.ob + 2 * q;
        const bool high = q + 1 < u.np || u.last_high;
        a.y[q][0] = c.y + ob * plane + yoff;
        a.y[q][1] = high ? c.y + (ob + 1) * plane + yoff : nullptr;
        a.z[q][0] = c.z ? c.z + ob * plane + yoff : nullptr;
        a.z[q][1] = c.z && high ? c.z + (ob + 1) * plane + yoff : nullptr;
      }
      Pick(static_cast<int>(c.stride_w), full, prefetch, u.np, rows, cols)(a);
      if (other_activation) {
        for (int q = 0; q < u.np; ++q) {
          for (int h = 0; h < 2; ++h) {
            if (!a.y[q][h]) continue;
            for (int r = 0; r < rows; ++r) ApplyEpilogue_Avx2(a.y[q][h] + r * a.y_row, nullptr, cols, c.epilogue);
          }
        }
      }
      col += cols;
    }
    oh += rows;
  }
}

}  // namespace onyx::cpu::nchwc
