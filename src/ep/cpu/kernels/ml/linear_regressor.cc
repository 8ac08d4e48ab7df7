// LinearRegressor: Y[N, targets] = X[N, F] * coefficients[targets, F]^T + intercepts, then the post-transform
// per row.
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/ml/ml_common.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class LinearRegressorKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetFloats("coefficients", &coefficients_, std::vector<float>{}));
    ONYX_RETURN_IF_ERROR(info.GetFloats("intercepts", &intercepts_, std::vector<float>{}));
    ONYX_RETURN_IF_ERROR(info.GetInt("targets", &targets_, int64_t{1}));
    ONYX_RETURN_IF_ERROR(ml::ReadPostTransform(info, &post_));
    if (targets_ < 1) return info.Error("attribute 'targets' must be positive, got ", targets_);
    if (coefficients_.size() % static_cast<size_t>(targets_) != 0) {
      return info.Error("attribute 'coefficients' has ", coefficients_.size(), " values, not a multiple of targets ",
                        targets_);
    }
    if (!intercepts_.empty() && static_cast<int64_t>(intercepts_.size()) != targets_) {
      return info.Error("attribute 'intercepts' has ", intercepts_.size(), " values for ", targets_, " targets");
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr || !ml::IsMlNumericType(x->type())) {
      return ctx.Error("input X must be a float, double, int32 or int64 tensor");
    }
    const ml::Rows rows = ml::RowsOf(*x);
    const int64_t f = static_cast<int64_t>(coefficients_.size()) / targets_;
    if (rows.f != f) {
      return ctx.Error("input ", x->Describe(), " has ", rows.f, " features; 'coefficients' expects ", f);
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kFloat, Shape{rows.n, targets_}));
    std::vector<float> in(static_cast<size_t>(x->size()));
    ml::CopyAsNumber<float>(*x, in.data());
    float* out = y->data<float>();
    ThreadPool::For(
        ctx.thread_pool(), rows.n,
        [&](int64_t begin, int64_t end) {
          for (int64_t r = begin; r < end; ++r) {
            const float* row = in.data() + r * f;
            for (int64_t t = 0; t < targets_; ++t) {
              double acc = intercepts_.empty() ? 0.0 : intercepts_[static_cast<size_t>(t)];
              const float* c = coefficients_.data() + t * f;
              for (int64_t j = 0; j < f; ++j) acc += static_cast<double>(row[j]) * c[j];
              out[r * targets_ + t] = static_cast<float>(acc);
            }
            ml::ApplyPostTransform(post_, std::span<float>(out + r * targets_, static_cast<size_t>(targets_)));
          }
        },
        64);
    return Status::Ok();
  }

 private:
  std::vector<float> coefficients_, intercepts_;
  int64_t targets_ = 1;
  ml::PostTransform post_ = ml::PostTransform::kNone;
};

Status InferLinearRegressor(ir::InferenceContext& ctx) {
  const ir::SymShape* in = ctx.input_shape(0);
  ir::Dim n = in && in->size() == 2 ? (*in)[0] : in && in->size() < 2 ? ir::Dim::Known(1) : ir::Dim{};
  ctx.SetOutput(0, DataType::kFloat, ir::SymShape{n, ir::Dim::Known(ctx.attr_int("targets", 1))});
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(LinearRegressorKernel, KernelDef("CPU", "ai.onnx.ml", "LinearRegressor").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "LinearRegressor", InferLinearRegressor);

}  // namespace
}  // namespace onyx::cpu
