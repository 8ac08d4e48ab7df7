// Swish (opset 24): Y = X * sigmoid(alpha * X).
#include <cmath>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/transformer/transformer_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

class SwishKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return info.GetFloat("alpha", &alpha_, 1.0f); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) return ctx.Error("input X is required");
    if (!transformer::IsFloatType(x->type())) return ctx.Error("X must be floating point, got ", x->Describe());
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), x->shape()));
    std::vector<double> v = ToDoubleVector(*x);
    const double a = alpha_;
    for (double& e : v) e = e / (1.0 + std::exp(-a * e));
    FromDoubleVector(v, y);
    return Status::Ok();
  }

 private:
  float alpha_ = 1.0f;
};

}  // namespace

ONYX_REGISTER_KERNEL(SwishKernel, KernelDef("CPU", "", "Swish").Versions(24));
ONYX_REGISTER_SHAPE_INFERENCE("", "Swish", ir::InferSameAsInput);

}  // namespace onyx::cpu
