// Normalizer: divides each row (the last axis; a 1-D input is one row) by its max, its L1 norm or its L2 norm.
// A zero divisor leaves the row as it is. L2 keeps the sign of each element (X / ||X||), as runtimes do.
#include <algorithm>
#include <cmath>
#include <string>

#include "ep/cpu/kernels/ml/ml_common.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

enum class Norm { kMax, kL1, kL2 };

class NormalizerKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    std::string norm;
    ONYX_RETURN_IF_ERROR(info.GetString("norm", &norm, std::string("MAX")));
    if (norm == "MAX") {
      norm_ = Norm::kMax;
    } else if (norm == "L1") {
      norm_ = Norm::kL1;
    } else if (norm == "L2") {
      norm_ = Norm::kL2;
    } else {
      return info.Error("attribute 'norm' is '", norm, "'; expected MAX, L1 or L2");
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr || !ml::IsMlNumericType(x->type())) {
      return ctx.Error("input X must be a float, double, int32 or int64 tensor");
    }
    if (x->rank() > 2) return ctx.Error("input X must be 1-D or 2-D, got ", x->Describe());
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kFloat, x->shape()));
    float* out = y->data<float>();
    ml::CopyAsNumber<float>(*x, out);
    const int64_t f = x->rank() == 0 ? 1 : x->dim(x->rank() - 1);
    const int64_t n = f == 0 ? 0 : x->size() / f;
    for (int64_t r = 0; r < n; ++r) {
      float* row = out + r * f;
      double divisor = 0;
      if (norm_ == Norm::kMax) {
        divisor = -INFINITY;
        for (int64_t j = 0; j < f; ++j) divisor = std::max(divisor, static_cast<double>(row[j]));
      } else if (norm_ == Norm::kL1) {
        for (int64_t j = 0; j < f; ++j) divisor += std::abs(static_cast<double>(row[j]));
      } else {
        for (int64_t j = 0; j < f; ++j) divisor += static_cast<double>(row[j]) * row[j];
        divisor = std::sqrt(divisor);
      }
      if (divisor == 0 || !std::isfinite(divisor)) continue;
      for (int64_t j = 0; j < f; ++j) row[j] = static_cast<float>(row[j] / divisor);
    }
    return Status::Ok();
  }

 private:
  Norm norm_ = Norm::kMax;
};

Status InferNormalizer(ir::InferenceContext& ctx) {
  const ir::SymShape* in = ctx.input_shape(0);
  ctx.SetOutput(0, DataType::kFloat, in ? std::optional<ir::SymShape>(*in) : std::nullopt);
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(NormalizerKernel, KernelDef("CPU", "ai.onnx.ml", "Normalizer").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "Normalizer", InferNormalizer);

}  // namespace
}  // namespace onyx::cpu
