// The 8-bit convolution of QLinearConv and ConvInteger on the integer GEMM (int8_gemm.h): per image and group, the
// output pixels are the rows of A (the input read through im2col, or directly for 1x1 windows) and the output
// channels the columns of B (the weights, packed once); depthwise convolutions take a direct loop instead.
// A is the input itself (transposed as the GEMM copies it) for 1x1 windows of stride 1; with 8 channels a group
// or more, the rows are gathered from a channels-last copy of the input (one transpose of the input instead of
// one of the im2col matrix, kernel-size times bigger); with fewer, from im2col's matrix.
#pragma once

#include <cstdint>
#include <vector>

#include "ep/cpu/kernels/quant/int8_gemm.h"
#include "ep/cpu/kernels/quant/int_conv.h"

namespace onyx::cpu::quant {

// w [M, C/group, kernel...] as one packed B (K = C/group * kernel size, N = M/group) per group, plus the raw
// bytes of depthwise weights.
struct QConvWeights {
  Shape shape;
  DataType type = DataType::kUndefined;
  int64_t group = 1;
  std::vector<QgemmPackedB> b;
  std::vector<uint8_t> raw;  // depthwise only
  // K in (kernel position, channel) order, for A rows gathered from a channels-last copy of the input (whole
  // runs of channels per tap); otherwise (channel, kernel position), im2col's order.
  bool channels_last = false;

  void Pack(const Tensor& w, int64_t group);
  bool Matches(const Tensor& w, int64_t group_count) const {
    return w.type() == type && w.shape() == shape && group_count == group;
  }
};

struct QConvArgs {
  const void* x = nullptr;
  bool x_signed = false;
  int32_t x_zero = 0;
  const QConvWeights* w = nullptr;
  const int32_t* w_zero = nullptr;  // one, or one per output channel
  bool w_zero_per_channel = false;
  // Epilogue over the whole output [N, M, out...]: bias and scale hold one value per output channel.
  QgemmEpilogue::Kind kind = QgemmEpilogue::kInt32;
  void* y = nullptr;
  const int32_t* bias = nullptr;
  const float* scale = nullptr;
  int32_t y_zero = 0;
};

bool IsDepthwise(const IntConvDims& d);
void QConv(const IntConvDims& d, const QConvArgs& args, ThreadPool* pool);

}  // namespace onyx::cpu::quant
