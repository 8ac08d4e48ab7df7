// NegativeLogLikelihoodLoss: loss = -input[n, target, d...] * weight[target], reduced by none/sum/mean
// (mean divides by the sum of the applied weights); targets equal to ignore_index contribute nothing.
#include "ep/cpu/kernels/training/loss_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class NegativeLogLikelihoodLossKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return attrs_.Init(info); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* input = ctx.input(0);
    const Tensor* target = ctx.input(1);
    const Tensor* weight = ctx.input(2);
    if (!input || !target) return ctx.Error("inputs input and target are required");
    if (!loss::IsLossType(input->type()))
      return ctx.Error("input type ", DataTypeName(input->type()), " is not supported");
    int64_t n = 0, c = 0, d = 0;
    ONYX_RETURN_IF_ERROR(loss::CheckLossShapes(ctx, *input, *target, weight, &n, &c, &d));
    ONYX_ASSIGN_OR_RETURN(std::vector<double> logp, loss::Widen(ctx, *input));
    std::vector<double> w;
    if (weight) {
      ONYX_ASSIGN_OR_RETURN(w, loss::Widen(ctx, *weight));
    }
    return loss::NllFromLogProb(ctx, attrs_, logp, *target, weight ? &w : nullptr, n, c, d, input->type());
  }

 private:
  loss::LossAttrs attrs_;
};

}  // namespace

ONYX_REGISTER_KERNEL(NegativeLogLikelihoodLossKernel, KernelDef("CPU", "", "NegativeLogLikelihoodLoss").Versions(12));
ONYX_REGISTER_SHAPE_INFERENCE("", "NegativeLogLikelihoodLoss",
                              [](ir::InferenceContext& ctx) { return loss::InferLoss(ctx, false); });

}  // namespace onyx::cpu
