// MeanVarianceNormalization: (X - mean) / (std + 1e-9) over `axes` (default N
// and the spatial axes of NCHW), matching the operator's defining function.
#include <cmath>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

class MeanVarianceNormalizationKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInts("axes", &axes_, std::vector<int64_t>{0, 2, 3}));
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) return ctx.Error("input X is required");
    const int64_t rank = x->rank();
    std::vector<bool> reduced(static_cast<size_t>(rank), false);
    for (int64_t a : axes_) {
      const int64_t ax = a < 0 ? a + rank : a;
      if (ax < 0 || ax >= rank) return ctx.Error("axis ", a, " is out of range for ", x->Describe());
      reduced[ax] = true;
    }
    // Each element's slot among the kept (not reduced) positions.
    const int64_t total = x->size();
    std::vector<int64_t> slot(static_cast<size_t>(total));
    int64_t slots = 1;
    for (int64_t i = 0; i < rank; ++i)
      if (!reduced[i]) slots *= x->dim(i);
    for (int64_t e = 0; e < total; ++e) {
      int64_t rem = e, s = 0, stride = 1;
      for (int64_t i = rank; i-- > 0;) {
        const int64_t idx = rem % x->dim(i);
        rem /= x->dim(i);
        if (!reduced[i]) {
          s += idx * stride;
          stride *= x->dim(i);
        }
      }
      slot[e] = s;
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), x->shape()));
    if (total == 0) return Status::Ok();
    ONYX_ASSIGN_OR_RETURN(Tensor xc, AsComputeTensor(ctx, *x));
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    Status st = Dispatch<float, double>(
        xc.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* xp = xc.data<T>();
          T* yp = yc.data<T>();
          std::vector<double> sum(static_cast<size_t>(slots), 0.0), sq(static_cast<size_t>(slots), 0.0);
          const double count = static_cast<double>(total / slots);
          for (int64_t e = 0; e < total; ++e) {
            sum[slot[e]] += xp[e];
            sq[slot[e]] += static_cast<double>(xp[e]) * xp[e];
          }
          for (int64_t e = 0; e < total; ++e) {
            const double mean = sum[slot[e]] / count;
            const double var = std::max(0.0, sq[slot[e]] / count - mean * mean);
            yp[e] = static_cast<T>((xp[e] - mean) / (std::sqrt(var) + 1e-9));
          }
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    return Status::Ok();
  }

 private:
  std::vector<int64_t> axes_;
};

}  // namespace

ONYX_REGISTER_KERNEL(MeanVarianceNormalizationKernel,
                     KernelDef("CPU", "", "MeanVarianceNormalization").Versions(9).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "MeanVarianceNormalization", ir::InferSameAsInput);

}  // namespace onyx::cpu
