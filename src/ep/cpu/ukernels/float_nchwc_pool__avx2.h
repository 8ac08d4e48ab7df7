// AVX2 pooling over blocked (NCHWc, c = 8) planes; see float_nchwc__avx2.h for the layout.
#pragma once

#include <cstdint>

namespace onyx::cpu::nchwc {

struct PoolGeometry {
  int64_t in_h, in_w, out_h, out_w, kernel_h, kernel_w, stride_h, stride_w, dilation_h, dilation_w;
  int64_t pad_top, pad_left, pad_bottom, pad_right;
};

// Output rows [row_begin, row_end) of one plane [in_h][in_w][8] -> [out_h][out_w][8]: the max, or the mean over the
// taps inside the input (or inside the explicitly padded input with count_include_pad).
void PoolPlane_Avx2(const PoolGeometry& g, bool is_max, bool count_include_pad, const float* x, float* y,
                    int64_t row_begin, int64_t row_end);
// The mean of hw blocked pixels.
void GlobalAveragePlane_Avx2(const float* x, int64_t hw, float* y);

}  // namespace onyx::cpu::nchwc
