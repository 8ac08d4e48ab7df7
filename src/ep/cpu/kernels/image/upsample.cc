// Upsample (opsets 1 to 10, deprecated since 10 but still found in models): nearest or linear resampling
// with asymmetric coordinates, output extent floor(input * scale). Scales come from height_scale/width_scale
// (opset 1), the scales attribute (opset 7) or the scales input (opset 9).
#include <cmath>
#include <string>
#include <vector>

#include "ep/cpu/kernels/image/resize_common.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

constexpr double kMaxExtent = 4.0e15;

class UpsampleKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    opset_ = info.opset();
    std::string mode;
    ONYX_RETURN_IF_ERROR(info.GetString("mode", &mode, std::string("nearest")));
    Status st = resize::ParseMode(mode, &opt_.mode);
    if (!st.ok() || opt_.mode == resize::Mode::kCubic)
      return info.Error("mode must be nearest or linear, got '", mode, "'");
    opt_.coord = resize::CoordMode::kAsymmetric;
    opt_.nearest = resize::NearestMode::kLegacy;
    if (opset_ < 7) {
      float h = 1, w = 1;
      if (!info.has_attr("height_scale") || !info.has_attr("width_scale")) {
        return info.Error("attributes height_scale and width_scale are required");
      }
      ONYX_RETURN_IF_ERROR(info.GetFloat("height_scale", &h));
      ONYX_RETURN_IF_ERROR(info.GetFloat("width_scale", &w));
      scales_ = {1.0, 1.0, h, w};
    } else if (opset_ < 9) {
      std::vector<float> s;
      if (!info.has_attr("scales")) return info.Error("attribute scales is required");
      ONYX_RETURN_IF_ERROR(info.GetFloats("scales", &s));
      scales_.assign(s.begin(), s.end());
    }
    for (double s : scales_) {
      if (!(s > 0)) return info.Error("scales must be positive, got ", s);
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) return ctx.Error("input X is required");
    std::vector<double> scales = scales_;
    if (opset_ >= 9) {
      const Tensor* s = ctx.input(1);
      if (!s) return ctx.Error("input scales is required");
      if (!IsFloatingPoint(s->type())) return ctx.Error("scales must be floating point, got ", s->Describe());
      scales = ToDoubleVector(*s);
    }
    if (static_cast<int64_t>(scales.size()) != x->rank()) {
      return ctx.Error("scales has ", scales.size(), " values but X is ", x->Describe());
    }
    std::vector<resize::AxisSpec> specs(scales.size());
    Shape out_shape;
    for (size_t d = 0; d < scales.size(); ++d) {
      const double w = scales[d] * static_cast<double>(x->dim(d));
      if (!(scales[d] > 0) || !(w < kMaxExtent)) return ctx.Error("scale ", scales[d], " is invalid");
      specs[d].scale = scales[d];
      specs[d].out_width = w;
      specs[d].out = static_cast<int64_t>(std::floor(w));
      out_shape.push_back(specs[d].out);
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), out_shape));
    return resize::Run(ctx, opt_, *x, specs, y);
  }

 private:
  int64_t opset_ = 9;
  std::vector<double> scales_;
  resize::Options opt_;
};

Status InferUpsample(ir::InferenceContext& ctx) {
  const DataType type = ctx.input_elem_type(0);
  const ir::SymShape* in = ctx.input_shape(0);
  if (!in) {
    ctx.SetOutput(0, type, std::nullopt);
    return Status::Ok();
  }
  std::vector<double> scales;
  const int64_t opset = ctx.node().opset();
  if (opset < 7) {
    scales = {1.0, 1.0, ctx.attr_float("height_scale", 1.0f), ctx.attr_float("width_scale", 1.0f)};
  } else if (opset < 9) {
    if (const ir::Attribute* a = ctx.attr("scales")) scales.assign(a->floats.begin(), a->floats.end());
  } else if (const Tensor* s = ctx.input_constant(1); s && IsFloatingPoint(s->type())) {
    scales = ToDoubleVector(*s);
  }
  ir::SymShape out(in->size());
  if (scales.size() == in->size()) {
    for (size_t d = 0; d < in->size(); ++d) {
      const double w = scales[d] * static_cast<double>((*in)[d].value);
      if ((*in)[d].known() && scales[d] > 0 && w < kMaxExtent) out[d] = ir::Dim::Known(static_cast<int64_t>(w));
    }
  }
  ctx.SetOutput(0, type, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(UpsampleKernel, KernelDef("CPU", "", "Upsample").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Upsample", InferUpsample);

}  // namespace onyx::cpu
