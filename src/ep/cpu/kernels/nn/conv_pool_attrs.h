// Attributes and window geometry shared by Conv, ConvTranspose and the pooling
// operators: kernel_shape, strides, dilations, pads, auto_pad and ceil_mode,
// and the output size they give.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "framework/op_kernel.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

enum class AutoPad { kNotSet, kValid, kSameUpper, kSameLower };

// The resolved window along every spatial axis.
struct WindowGeometry {
  std::vector<int64_t> in, kernel, stride, dilation, pad_begin, pad_end, out;
  size_t rank() const { return in.size(); }
};

// The same geometry with 1-D and 2-D windows widened to 3-D (leading axes of
// size 1), so that one set of loops serves every rank the operators are used
// with.
struct Window3 {
  int64_t in[3], kernel[3], stride[3], dilation[3], pad[3], pad_end[3], out[3];
  int64_t in_size() const { return in[0] * in[1] * in[2]; }
  int64_t out_size() const { return out[0] * out[1] * out[2]; }
  int64_t kernel_size() const { return kernel[0] * kernel[1] * kernel[2]; }
  // Output columns [*c0, *c1) of the last axis whose windows lie wholly inside the input row (no padding, no
  // bounds to check); the others are the borders.
  void InteriorColumns(int64_t* c0, int64_t* c1) const {
    const int64_t ow = out[2];
    *c0 = 0;
    *c1 = ow;
    while (*c0 < ow && *c0 * stride[2] - pad[2] < 0) ++*c0;
    while (*c1 > *c0 && (*c1 - 1) * stride[2] - pad[2] + (kernel[2] - 1) * dilation[2] + 1 > in[2]) --*c1;
  }
};

class ConvPoolAttrs {
 public:
  // Reads and checks the attributes. Pools require kernel_shape; Conv takes it
  // from W when absent.
  Status Init(const KernelInfo& info, bool is_pool);
  // Best-effort reading for shape inference (never fails; unparsable values
  // give std::nullopt).
  static std::optional<ConvPoolAttrs> FromNode(const ir::InferenceContext& ctx, bool is_pool);

  const std::vector<int64_t>& kernel_shape() const { return kernel_shape_; }
  AutoPad auto_pad() const { return auto_pad_; }
  bool ceil_mode() const { return ceil_mode_; }

  // Resolves the window for input spatial dims `in` and kernel `kernel`
  // (kernel_shape when empty). Errors describe what does not fit; the caller
  // prefixes the node.
  Status Resolve(std::span<const int64_t> in, std::span<const int64_t> kernel, WindowGeometry* g) const;

 private:
  AutoPad auto_pad_ = AutoPad::kNotSet;
  std::vector<int64_t> kernel_shape_, strides_, dilations_, pads_;
  bool ceil_mode_ = false;
};

// Output length of one axis; false when the window does not fit at all.
bool PooledLength(AutoPad auto_pad, bool ceil_mode, int64_t in, int64_t kernel, int64_t stride, int64_t dilation,
                  int64_t* pad_begin, int64_t* pad_end, int64_t* out);

// Widens a geometry of rank <= 3; false for higher ranks.
bool ToWindow3(const WindowGeometry& g, Window3* w);

// Shape inference for Conv-like and pool-like operators: output 0 is [N,
// channels, spatial...] where the spatial dims follow from the window.
// `channels` is the output channel dim (unknown allowed).
void InferWindowedOutput(ir::InferenceContext& ctx, const ConvPoolAttrs& attrs, const std::vector<int64_t>& kernel,
                         ir::Dim channels, size_t output_index, DataType type);

}  // namespace onyx::cpu
