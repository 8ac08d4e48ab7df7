// RMSNormalization (opset 23): Y = X / sqrt(mean(X^2 over axes [axis, rank)) + epsilon) * Scale, with Scale
// unidirectionally broadcast to X.
#include <cmath>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/transformer/transformer_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

class RMSNormalizationKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("axis", &axis_, int64_t{-1}));
    ONYX_RETURN_IF_ERROR(info.GetFloat("epsilon", &epsilon_, 1e-5f));
    int64_t stash = 1;
    ONYX_RETURN_IF_ERROR(info.GetInt("stash_type", &stash, int64_t{1}));
    if (!std::isfinite(epsilon_) || epsilon_ < 0) return info.Error("epsilon must be finite and >= 0, got ", epsilon_);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* scale = ctx.input(1);
    if (!x || !scale) return ctx.Error("inputs X and scale are required");
    if (!transformer::IsFloatType(x->type()) || !transformer::IsFloatType(scale->type()))
      return ctx.Error("X and scale must be floating point, got ", x->Describe(), " and ", scale->Describe());
    const int64_t rank = x->rank();
    const int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
    if (axis < 0 || axis >= rank) return ctx.Error("axis ", axis_, " is out of range for ", x->Describe());
    int64_t outer = 1, inner = 1;
    for (int64_t i = 0; i < axis; ++i) outer *= x->dim(i);
    for (int64_t i = axis; i < rank; ++i) inner *= x->dim(i);
    auto s = transformer::BroadcastValues(ToDoubleVector(*scale), scale->shape(), x->shape());
    if (!s) return ctx.Error("scale ", scale->Describe(), " does not broadcast to X ", x->Describe());
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), x->shape()));
    const std::vector<double> xv = ToDoubleVector(*x);
    std::vector<double> yv(xv.size());
    const double eps = epsilon_;
    ThreadPool::For(
        ctx.thread_pool(), outer,
        [&](int64_t begin, int64_t end) {
          for (int64_t o = begin; o < end; ++o) {
            const double* xi = xv.data() + o * inner;
            double sq = 0;
            for (int64_t i = 0; i < inner; ++i) sq += xi[i] * xi[i];
            const double inv = 1.0 / std::sqrt(sq / static_cast<double>(inner) + eps);
            for (int64_t i = 0; i < inner; ++i) yv[o * inner + i] = xi[i] * inv * (*s)[o * inner + i];
          }
        },
        1);
    FromDoubleVector(yv, y);
    return Status::Ok();
  }

 private:
  int64_t axis_ = -1;
  float epsilon_ = 1e-5f;
};

}  // namespace

ONYX_REGISTER_KERNEL(RMSNormalizationKernel, KernelDef("CPU", "", "RMSNormalization").Versions(23));
ONYX_REGISTER_SHAPE_INFERENCE("", "RMSNormalization", ir::InferSameAsInput);

}  // namespace onyx::cpu
