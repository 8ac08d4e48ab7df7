// Scaler: Y = (X - offset) * scale in float, with 'offset' and 'scale' of length 1 (every element) or of the
// length of the last dimension (per feature).
#include <vector>

#include "ep/cpu/kernels/ml/ml_common.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class ScalerKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetFloats("offset", &offset_, std::vector<float>{}));
    ONYX_RETURN_IF_ERROR(info.GetFloats("scale", &scale_, std::vector<float>{}));
    if (offset_.empty()) offset_ = {0.0f};
    if (scale_.empty()) scale_ = {1.0f};
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr || !ml::IsMlNumericType(x->type())) {
      return ctx.Error("input X must be a float, double, int32 or int64 tensor");
    }
    const int64_t f = x->rank() == 0 ? 1 : x->dim(x->rank() - 1);
    for (const auto* attr : {&offset_, &scale_}) {
      const int64_t len = static_cast<int64_t>(attr->size());
      if (len != 1 && len != f) {
        return ctx.Error("attribute '", attr == &offset_ ? "offset" : "scale", "' has ", len,
                         " values; expected 1 or the feature count ", f, " of input ", x->Describe());
      }
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kFloat, x->shape()));
    float* out = y->data<float>();
    ml::CopyAsNumber<float>(*x, out);
    const bool per_offset = offset_.size() > 1, per_scale = scale_.size() > 1;
    for (int64_t i = 0; i < x->size(); ++i) {
      const size_t j = f > 0 ? static_cast<size_t>(i % f) : 0;
      out[i] = (out[i] - offset_[per_offset ? j : 0]) * scale_[per_scale ? j : 0];
    }
    return Status::Ok();
  }

 private:
  std::vector<float> offset_, scale_;
};

Status InferFloatSameShape(ir::InferenceContext& ctx) {
  const ir::SymShape* in = ctx.input_shape(0);
  ctx.SetOutput(0, DataType::kFloat, in ? std::optional<ir::SymShape>(*in) : std::nullopt);
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(ScalerKernel, KernelDef("CPU", "ai.onnx.ml", "Scaler").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "Scaler", InferFloatSameShape);

}  // namespace
}  // namespace onyx::cpu
