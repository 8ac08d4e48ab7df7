// SoftmaxCrossEntropyLoss: log_softmax of the scores along the class axis (1), then the negative
// log-likelihood of the labels as in NegativeLogLikelihoodLoss; output 1 (optional) is the log-probabilities.
#include <algorithm>
#include <cmath>
#include <limits>

#include "ep/cpu/kernels/training/loss_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class SoftmaxCrossEntropyLossKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return attrs_.Init(info); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* scores = ctx.input(0);
    const Tensor* labels = ctx.input(1);
    const Tensor* weight = ctx.input(2);
    if (!scores || !labels) return ctx.Error("inputs scores and labels are required");
    if (!loss::IsLossType(scores->type())) {
      return ctx.Error("scores type ", DataTypeName(scores->type()), " is not supported");
    }
    int64_t n = 0, c = 0, d = 0;
    ONYX_RETURN_IF_ERROR(loss::CheckLossShapes(ctx, *scores, *labels, weight, &n, &c, &d));
    ONYX_ASSIGN_OR_RETURN(std::vector<double> logp, loss::Widen(ctx, *scores));
    for (int64_t nn = 0; nn < n; ++nn) {
      for (int64_t dd = 0; dd < d; ++dd) {
        double* base = logp.data() + nn * c * d + dd;
        double mx = -std::numeric_limits<double>::infinity();
        for (int64_t k = 0; k < c; ++k) mx = std::max(mx, base[k * d]);
        double sum = 0.0;
        for (int64_t k = 0; k < c; ++k) sum += std::exp(base[k * d] - mx);
        const double shift = mx + std::log(sum);
        for (int64_t k = 0; k < c; ++k) base[k * d] -= shift;
      }
    }
    if (ctx.output_requested(1)) {
      ONYX_ASSIGN_OR_RETURN(Tensor * lp, ctx.Output(1, scores->type(), scores->shape()));
      loss::Narrow(logp, lp);
    }
    std::vector<double> w;
    if (weight) {
      ONYX_ASSIGN_OR_RETURN(w, loss::Widen(ctx, *weight));
    }
    return loss::NllFromLogProb(ctx, attrs_, logp, *labels, weight ? &w : nullptr, n, c, d, scores->type());
  }

 private:
  loss::LossAttrs attrs_;
};

}  // namespace

ONYX_REGISTER_KERNEL(SoftmaxCrossEntropyLossKernel, KernelDef("CPU", "", "SoftmaxCrossEntropyLoss").Versions(12));
ONYX_REGISTER_SHAPE_INFERENCE("", "SoftmaxCrossEntropyLoss",
                              [](ir::InferenceContext& ctx) { return loss::InferLoss(ctx, true); });

}  // namespace onyx::cpu
