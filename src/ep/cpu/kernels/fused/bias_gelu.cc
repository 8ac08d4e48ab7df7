// com.onyx:BiasGelu (written by the FuseBiasGelu pass, see docs/FUSED_OPERATORS.md): Y = Gelu(X + bias), with
// bias a 1-D tensor over X's last axis. One pass over memory instead of two.
#include <algorithm>
#include <string>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/fused/fused_math.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu::fused {

namespace {

class BiasGeluKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return ReadGeluApproximate(info, &tanh_); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* bias = ctx.input(1);
    if (x == nullptr || bias == nullptr) return ctx.Error("inputs X and bias are required");
    if (x->type() != DataType::kFloat || bias->type() != DataType::kFloat) {
      return ctx.Error("X and bias must be float, got ", x->Describe(), " and ", bias->Describe());
    }
    if (x->rank() < 1 || bias->rank() != 1 || bias->dim(0) != x->dim(x->rank() - 1)) {
      return ctx.Error("bias must be 1-D with the size of X's last axis, got X ", x->Describe(), " and bias ",
                       bias->Describe());
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, x->shape()));
    const int64_t cols = bias->dim(0);
    if (cols == 0 || x->size() == 0) return Status::Ok();
    const int64_t rows = x->size() / cols;
    const float* xp = x->data<float>();
    const float* bp = bias->data<float>();
    float* yp = y->data<float>();
    const bool tanh_form = tanh_;
    ThreadPool::For(
        ctx.thread_pool(), rows,
        [&](int64_t begin, int64_t end) {
          for (int64_t r = begin; r < end; ++r) {
            const float* xr = xp + r * cols;
            float* yr = yp + r * cols;
            for (int64_t c = 0; c < cols; ++c) yr[c] = xr[c] + bp[c];
            GeluSpan(yr, yr, cols, tanh_form);
          }
        },
        std::max<int64_t>(1, (1 << 13) / cols));
    return Status::Ok();
  }

 private:
  bool tanh_ = false;
};

}  // namespace

ONYX_REGISTER_KERNEL(BiasGeluKernel, KernelDef("CPU", "com.onyx", "BiasGelu").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "BiasGelu", ir::InferSameAsInput);

}  // namespace onyx::cpu::fused
