// The resampling engine behind Resize and Upsample: per-axis sampling plans (which input positions feed
// each output position, with which weights) applied one axis at a time, since every supported filter is
// separable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "framework/op_kernel.h"
#include "framework/tensor.h"

namespace onyx::cpu::resize {

enum class Mode { kNearest, kLinear, kCubic };
enum class CoordMode {
  kHalfPixel,
  kHalfPixelSymmetric,
  kPytorchHalfPixel,
  kAlignCorners,
  kAsymmetric,
  kTfHalfPixelForNn,
  kTfCropAndResize
};
// kLegacy is the rounding of Upsample and Resize-10, which predate nearest_mode: truncate when upsampling,
// round up when downsampling.
enum class NearestMode { kRoundPreferFloor, kRoundPreferCeil, kFloor, kCeil, kLegacy };

struct Options {
  Mode mode = Mode::kNearest;
  CoordMode coord = CoordMode::kHalfPixel;
  NearestMode nearest = NearestMode::kRoundPreferFloor;
  double cubic_a = -0.75;
  bool exclude_outside = false;
  bool antialias = false;
  double extrapolation_value = 0.0;
};

Status ParseMode(const std::string& s, Mode* out);
Status ParseCoordMode(const std::string& s, CoordMode* out);
Status ParseNearestMode(const std::string& s, NearestMode* out);

// What one axis of the output asks for. `scale` is the factor used by the coordinate transform and
// `out_width` the fractional output length (scale * input length, or the requested size): the transforms
// that divide by the output length use it, so an output of 2 from a scale of 0.6 on 4 samples maps like
// a length of 2.4.
struct AxisSpec {
  int64_t out = 0;
  double scale = 1.0;
  double out_width = 0.0;
  double roi_start = 0.0, roi_end = 1.0;
};

// Resizes x into y, whose shape holds AxisSpec::out for every axis (one spec per axis of x).
Status Run(KernelContext& ctx, const Options& opt, const Tensor& x, const std::vector<AxisSpec>& specs, Tensor* y);

}  // namespace onyx::cpu::resize
