// Resize (opsets 10 to 19): nearest, N-linear and N-cubic resampling with the coordinate transforms, nearest
// roundings, antialiasing, axes and aspect-ratio policies of the specification. The resampling itself is in
// resize_common.cc; this file turns inputs and attributes into per-axis requests.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "ep/cpu/kernels/image/resize_common.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "framework/kernel_registry.h"
#include "ir/derived_dim.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

enum class AspectPolicy { kStretch, kNotLarger, kNotSmaller };

struct ResizeConfig {
  int64_t opset = 19;
  resize::CoordMode coord = resize::CoordMode::kHalfPixel;
  std::vector<int64_t> axes;  // as given; normalized against the rank when it is known
  AspectPolicy policy = AspectPolicy::kStretch;
};

Status ParsePolicy(const std::string& s, AspectPolicy* out) {
  if (s == "stretch") {
    *out = AspectPolicy::kStretch;
  } else if (s == "not_larger") {
    *out = AspectPolicy::kNotLarger;
  } else if (s == "not_smaller") {
    *out = AspectPolicy::kNotSmaller;
  } else {
    return InvalidArgument("keep_aspect_ratio_policy must be stretch, not_larger or not_smaller, got '", s, "'");
  }
  return Status::Ok();
}

bool IsEmpty(const Tensor* t) { return t == nullptr || t->size() == 0; }

// Largest output extent accepted: keeps the size arithmetic exact in double and far from overflow.
constexpr double kMaxExtent = 4.0e15;

// Turns scales/sizes/roi into one request per axis of an input of shape `in`. Messages carry no node name;
// callers add it.
Status ComputeSpecs(const ResizeConfig& cfg, const Shape& in, const Tensor* roi, const Tensor* scales,
                    const Tensor* sizes, std::vector<resize::AxisSpec>* specs) {
  const int64_t rank = static_cast<int64_t>(in.size());
  std::vector<int64_t> axes = cfg.axes;
  if (axes.empty()) {
    for (int64_t d = 0; d < rank; ++d) axes.push_back(d);
  } else {
    std::vector<bool> seen(static_cast<size_t>(rank), false);
    for (int64_t& a : axes) {
      if (a < -rank || a >= rank) return InvalidArgument("axis ", a, " is out of range for rank ", rank);
      if (a < 0) a += rank;
      if (seen[a]) return InvalidArgument("axis ", a, " is repeated in axes");
      seen[a] = true;
    }
  }
  const size_t n = axes.size();
  specs->assign(static_cast<size_t>(rank), {});
  for (int64_t d = 0; d < rank; ++d) {
    (*specs)[d].out = in[d];
    (*specs)[d].out_width = static_cast<double>(in[d]);
  }
  if (!IsEmpty(scales) && !IsEmpty(sizes)) return InvalidArgument("only one of scales and sizes may be given");
  if (IsEmpty(scales) && IsEmpty(sizes)) return InvalidArgument("one of scales and sizes must be given");
  if (!IsEmpty(scales)) {
    if (!IsFloatingPoint(scales->type()))
      return InvalidArgument("scales must be floating point, got ", scales->Describe());
    const std::vector<double> s = ToDoubleVector(*scales);
    if (s.size() != n) return InvalidArgument("scales has ", s.size(), " values but ", n, " axes are resized");
    for (size_t i = 0; i < n; ++i) {
      auto& spec = (*specs)[axes[i]];
      const double out_width = s[i] * static_cast<double>(in[axes[i]]);
      if (!(s[i] > 0) || !(out_width < kMaxExtent)) return InvalidArgument("scale ", s[i], " is invalid");
      spec.scale = s[i];
      spec.out_width = out_width;
      spec.out = static_cast<int64_t>(std::floor(out_width));
    }
  } else {
    if (sizes->type() != DataType::kInt64) return InvalidArgument("sizes must be int64, got ", sizes->Describe());
    const auto z = sizes->values<int64_t>();
    if (z.size() != n) return InvalidArgument("sizes has ", z.size(), " values but ", n, " axes are resized");
    for (size_t i = 0; i < n; ++i) {
      if (z[i] < 0 || static_cast<double>(z[i]) >= kMaxExtent) return InvalidArgument("size ", z[i], " is invalid");
      if (in[axes[i]] == 0 && z[i] != 0) return InvalidArgument("cannot resize empty axis ", axes[i]);
    }
    if (cfg.policy == AspectPolicy::kStretch) {
      for (size_t i = 0; i < n; ++i) {
        auto& spec = (*specs)[axes[i]];
        spec.out = z[i];
        spec.out_width = static_cast<double>(z[i]);
        spec.scale = in[axes[i]] ? static_cast<double>(z[i]) / static_cast<double>(in[axes[i]]) : 1.0;
      }
    } else {
      double scale = cfg.policy == AspectPolicy::kNotLarger ? 1e300 : 0.0;
      for (size_t i = 0; i < n; ++i) {
        if (in[axes[i]] == 0) continue;
        const double r = static_cast<double>(z[i]) / static_cast<double>(in[axes[i]]);
        scale = cfg.policy == AspectPolicy::kNotLarger ? std::min(scale, r) : std::max(scale, r);
      }
      if (!(scale > 0) || scale >= 1e300) return InvalidArgument("sizes give no usable scale");
      for (size_t i = 0; i < n; ++i) {
        auto& spec = (*specs)[axes[i]];
        spec.scale = scale;
        spec.out_width = scale * static_cast<double>(in[axes[i]]);
        if (!(spec.out_width < kMaxExtent)) return InvalidArgument("sizes give an output that is too large");
        spec.out = static_cast<int64_t>(spec.out_width + 0.5);  // round half up
      }
    }
  }
  if (cfg.coord == resize::CoordMode::kTfCropAndResize && !IsEmpty(roi)) {
    if (!IsFloatingPoint(roi->type())) return InvalidArgument("roi must be floating point, got ", roi->Describe());
    const std::vector<double> r = ToDoubleVector(*roi);
    if (r.size() != 2 * n) return InvalidArgument("roi has ", r.size(), " values, expected ", 2 * n);
    for (size_t i = 0; i < n; ++i) {
      (*specs)[axes[i]].roi_start = r[i];
      (*specs)[axes[i]].roi_end = r[n + i];
    }
  }
  return Status::Ok();
}

class ResizeKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    cfg_.opset = info.opset();
    std::string mode;
    ONYX_RETURN_IF_ERROR(info.GetString("mode", &mode, std::string("nearest")));
    Status st = resize::ParseMode(mode, &opt_.mode);
    if (!st.ok()) return info.Error(st.message());
    if (cfg_.opset < 11) {
      if (opt_.mode == resize::Mode::kCubic) return info.Error("mode cubic needs opset 11 or later");
      opt_.coord = resize::CoordMode::kAsymmetric;
      opt_.nearest = resize::NearestMode::kLegacy;
      cfg_.coord = opt_.coord;
      return Status::Ok();
    }
    std::string coord, nearest, policy;
    ONYX_RETURN_IF_ERROR(info.GetString("coordinate_transformation_mode", &coord, std::string("half_pixel")));
    ONYX_RETURN_IF_ERROR(info.GetString("nearest_mode", &nearest, std::string("round_prefer_floor")));
    if (!(st = resize::ParseCoordMode(coord, &opt_.coord)).ok()) return info.Error(st.message());
    if (!(st = resize::ParseNearestMode(nearest, &opt_.nearest)).ok()) return info.Error(st.message());
    cfg_.coord = opt_.coord;
    float a = -0.75f, extrapolation = 0.0f;
    int64_t exclude = 0, antialias = 0;
    ONYX_RETURN_IF_ERROR(info.GetFloat("cubic_coeff_a", &a, -0.75f));
    ONYX_RETURN_IF_ERROR(info.GetFloat("extrapolation_value", &extrapolation, 0.0f));
    ONYX_RETURN_IF_ERROR(info.GetInt("exclude_outside", &exclude, 0));
    opt_.cubic_a = a;
    opt_.extrapolation_value = extrapolation;
    opt_.exclude_outside = exclude != 0;
    if (cfg_.opset >= 18) {
      ONYX_RETURN_IF_ERROR(info.GetInt("antialias", &antialias, 0));
      ONYX_RETURN_IF_ERROR(info.GetInts("axes", &cfg_.axes, std::vector<int64_t>{}));
      ONYX_RETURN_IF_ERROR(info.GetString("keep_aspect_ratio_policy", &policy, std::string("stretch")));
      if (!(st = ParsePolicy(policy, &cfg_.policy)).ok()) return info.Error(st.message());
      opt_.antialias = antialias != 0;
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) return ctx.Error("input X is required");
    const bool old = cfg_.opset < 11;
    const Tensor* roi = old ? nullptr : ctx.input(1);
    const Tensor* scales = old ? ctx.input(1) : ctx.input(2);
    const Tensor* sizes = old ? nullptr : ctx.input(3);
    std::vector<resize::AxisSpec> specs;
    Status st = ComputeSpecs(cfg_, x->shape(), roi, scales, sizes, &specs);
    if (!st.ok()) return ctx.Error(st.message(), " (X is ", x->Describe(), ")");
    Shape out_shape;
    for (const auto& s : specs) out_shape.push_back(s.out);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), out_shape));
    return resize::Run(ctx, opt_, *x, specs, y);
  }

 private:
  ResizeConfig cfg_;
  resize::Options opt_;
};

Status InferResize(ir::InferenceContext& ctx) {
  const DataType type = ctx.input_elem_type(0);
  const ir::SymShape* in = ctx.input_shape(0);
  if (!in) {
    ctx.SetOutput(0, type, std::nullopt);
    return Status::Ok();
  }
  ResizeConfig cfg;
  cfg.opset = ctx.node().opset();
  const bool old = cfg.opset < 11;
  if (cfg.opset >= 18) {
    cfg.axes = ctx.attr_ints("axes");
    if (!ParsePolicy(ctx.attr_string("keep_aspect_ratio_policy", "stretch"), &cfg.policy).ok()) {
      cfg.policy = AspectPolicy::kStretch;
    }
  }
  const size_t scales_at = old ? 1 : 2;
  const Tensor* scales = ctx.input_constant(scales_at);
  const Tensor* sizes = old ? nullptr : ctx.input_constant(3);
  const bool scales_known = !ctx.has_input(scales_at) || scales != nullptr;
  const bool sizes_known = old || !ctx.has_input(3) || sizes != nullptr;
  bool dims_known = true;
  Shape dims;
  for (const ir::Dim& d : *in) {
    dims_known = dims_known && d.known();
    dims.push_back(d.known() ? d.value : 1);
  }
  ir::SymShape out(in->size());  // unknown dims unless proved below
  if (scales_known && sizes_known && dims_known) {
    std::vector<resize::AxisSpec> specs;
    // roi moves the sampling window but never changes the output's size.
    if (ComputeSpecs(cfg, dims, nullptr, scales, sizes, &specs).ok()) {
      for (size_t d = 0; d < specs.size(); ++d) out[d] = ir::Dim::Known(specs[d].out);
    }
  } else if (scales && scales->type() == DataType::kFloat && scales->size() == static_cast<int64_t>(in->size()) &&
             cfg.axes.empty() && (!sizes || sizes->size() == 0) &&
             ctx.attr_string("coordinate_transformation_mode", "half_pixel") != "tf_crop_and_resize") {
    // Whole scales keep a dim's name derived from the input's (ir::AffineDim: 2*H), a scale of 1 keeps it.
    const float* f = scales->data<float>();
    for (size_t d = 0; d < in->size(); ++d) {
      if (f[d] >= 1.0f && f[d] <= 1024.0f && f[d] == static_cast<float>(static_cast<int64_t>(f[d])))
        out[d] = ir::AffineDim((*in)[d], static_cast<int64_t>(f[d]), 0, 1);
    }
  }
  ctx.SetOutput(0, type, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(ResizeKernel, KernelDef("CPU", "", "Resize").Versions(10));
ONYX_REGISTER_SHAPE_INFERENCE("", "Resize", InferResize);

}  // namespace onyx::cpu
