// AVX2 + FMA inner loops of the NCHWc (blocked channel) kernels in src/ep/cpu/kernels/nchwc/. A blocked tensor
// is [N, ceil(C/8), spatial..., 8]: the 8 channels of a block sit next to each other, so one ymm register holds
// one pixel of one channel block and every loop here is vectorized over those 8 channels.
#pragma once

#include <cstdint>

namespace onyx::cpu::nchwc {

inline constexpr int64_t kBlock = 8;

// The epilogue every convolution output goes through: + Z (residual), then an activation.
enum class Activation { kNone, kRelu, kLeakyRelu, kSigmoid, kHardSigmoid, kTanh, kClip, kHardSwish, kSilu };

struct Epilogue {
  Activation activation = Activation::kNone;
  float p0 = 0, p1 = 0;  // LeakyRelu alpha; HardSigmoid alpha, beta; Clip min, max
};

// One image of a direct convolution over a blocked, already padded input (no bounds checks: the caller copies
// the input, or for ConvPairs_Avx512 a band of its rows, into a zero-bordered buffer when the convolution has pads).
struct ConvImage {
  const float* x;      // [x_blocks][in_h][in_w][8] (padded)
  int64_t in_h, in_w;  // padded spatial size
  int64_t out_h, out_w;
  int64_t kernel_h, kernel_w, stride_h, stride_w, dilation_h, dilation_w;
  const float* w;  // regular: [out_blocks][in_blocks_per_group][kh][kw][8 in][8 out]; depthwise: [blocks][kh][kw][8]
  int64_t in_blocks_per_group;
  const float* bias;  // [out_blocks * 8] or null
  const float* z;     // [out_blocks][out_h][out_w][8] or null
  float* y;           // [out_blocks][out_h][out_w][8]
  Epilogue epilogue;
  int64_t pad_top = 0, pad_left = 0;  // only DepthwiseRows_Avx512 reads an unpadded input
  // ConvPairs_Avx512 only: x may hold a band of padded rows, x_row0 the first of them, x_plane floats apart per input
  // block (0: in_h * in_w * 8, the whole image).
  int64_t x_row0 = 0, x_plane = 0;
};

// Output blocks [ob_begin, ob_begin + ob_count) (ob_count 1 or 2, one group) for output pixels [p_begin, p_end)
// (flattened over out_h * out_w), reading `blocks` input blocks from in_block_begin, whose weights are the blocks from
// w_block on of each output block's in_blocks_per_group.
void ConvBlocks_Avx2(const ConvImage& c, int64_t ob_begin, int64_t ob_count, int64_t in_block_begin, int64_t w_block,
                     int64_t blocks, int64_t p_begin, int64_t p_end);

// The regular convolution with 512-bit vectors (ukernels/float_nchwc_conv__avx512.cc) takes output blocks two at a
// time: a "pair" of blocks is 16 output channels, one zmm per output pixel. Its weights are packed (by the layout
// pass: PackConvWeightsPairs in kernels/nchwc/nchwc_util.h) as [pairs][in_blocks_per_group][kh][kw][8 in][16 out]:
// the pairs of group g are its blocks (2j, 2j + 1), the high half of a group's last pair zero when the group has an
// odd block count; the bias as [pairs][16].
struct PairConv {
  const float* w;            // pair-packed weights
  const float* bias;         // pair-packed bias, or null
  int64_t in_channels;       // input channels used of each input block: 8, or fewer for an NCHW input's only block
  int64_t weight_bytes = 0;  // of all of w (the tiles prefetch weights too many to stay in L2)
};
// One work unit: np (1 or 2) consecutive pairs of one group, the first covering output blocks ob and ob + 1, reading
// `blocks` input blocks from in_block (absolute), which are their weights' blocks from w_block on (the kernel skips
// input blocks whose weights are all zero: a grouped convolution run as a dense one reads only its band).
struct PairUnit {
  int64_t pair, ob, in_block, w_block, blocks;
  int np;
  bool last_high;  // whether the last pair's high half is a real output block
};
// Output rows [row_begin, row_end) x columns [col_begin, col_end) of the unit's blocks. Needs UseAvx512() and
// stride_w 1 or 2 (PairConvSupported).
void ConvPairs_Avx512(const ConvImage& c, const PairConv& p, const PairUnit& u, int64_t row_begin, int64_t row_end,
                      int64_t col_begin, int64_t col_end);
inline bool PairConvSupported(const ConvImage& c) { return c.stride_w == 1 || c.stride_w == 2; }
// Whether the CPU runs AVX-512 (F, DQ) and it has not been turned off with SetAvx512Enabled(false) (tests use
// that to cover the AVX2 tiles on any machine).
bool UseAvx512();
void SetAvx512Enabled(bool enabled);

// Depthwise: output block b reads input block b; pixels [p_begin, p_end).
void DepthwiseBlock_Avx2(const ConvImage& c, int64_t b, int64_t p_begin, int64_t p_end);
// The same with 512-bit vectors (two pixels per register) for output rows [row_begin, row_end), reading the input
// unpadded: c.in_h, c.in_w are the input's own size and c.pad_top, c.pad_left its padding. Call only when
// UseAvx512() is true.
void DepthwiseRows_Avx512(const ConvImage& c, int64_t b, int64_t row_begin, int64_t row_end);

// [C][hw] plane rows (row stride `src_stride`) -> [hw][8], channels >= `channels` set to 0.
void ReorderToBlock_Avx2(const float* x, int64_t src_stride, int64_t channels, int64_t hw, float* y);
// [hw][8] -> the first `channels` rows of [C][hw] (row stride `dst_stride`).
void ReorderFromBlock_Avx2(const float* x, int64_t hw, int64_t channels, float* y, int64_t dst_stride);
// `pixels` pixels of a channels-last row (x: pixel p's channels at x[p * pixel_stride], `lanes` <= 8 of them used)
// into one block [pixels][8], lanes past `lanes` zero.
void PixelsToBlock_Avx2(const float* x, int64_t pixel_stride, int64_t lanes, int64_t pixels, float* y);

// y[p][i] = x[src[i] + p * 8] for `pixels` blocked pixels, 0 where src[i] < 0 (a block whose 8 lanes come from
// other blocks' lanes: src[i] is the lane's offset from x, up to 2^31 floats).
void GatherLanes_Avx2(const float* x, const int32_t* src, int64_t pixels, float* y);

// Local response normalization across channels (ONNX LRN) of one blocked image [blocks][pixels][8]: output block
// `ob`, pixels [p_begin, p_end). Channel c is divided by (bias + scale * sum of x^2 over channels
// [c - before, c - before + size)) ^ beta, counting only the `channels` real ones; the padding lanes of y are 0.
struct LrnGeometry {
  int64_t blocks, pixels, channels, before, size;
  float scale, bias, beta;
};
// y[i] = x[i] / base[i]^beta for n floats, beta 0.75, 0.5 or 1 (the plain-layout LRN's last step; callers take
// other exponents through pow).
void DivideByPower_Avx2(const float* x, const float* base, float* y, int64_t n, float beta);
// `scratch` holds LrnScratchFloats(g.size) floats (the caller's: this file allocates nothing, so that no library code
// is instantiated here with AVX2 enabled).
inline constexpr int64_t kLrnChunk = 64;  // pixels whose squares are gathered at a time
inline int64_t LrnScratchFloats(int64_t size) { return kLrnChunk * ((size + 14) / kBlock + 2) * kBlock; }
void LrnBlock_Avx2(const LrnGeometry& g, const float* x, int64_t ob, int64_t p_begin, int64_t p_end, float* y,
                   float* scratch);

// Applies the epilogue to `n` blocked pixels in place (z may be null).
void ApplyEpilogue_Avx2(float* y, const float* z, int64_t n, const Epilogue& e);

}  // namespace onyx::cpu::nchwc
