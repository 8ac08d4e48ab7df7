// InstanceNormalization: every (n, c) plane is normalized by its own mean and
// variance, then scaled and shifted per channel.
#include <cmath>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

class InstanceNormalizationKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetFloat("epsilon", &epsilon_, 1e-5f));
    if (epsilon_ < 0) return info.Error("epsilon must not be negative");
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* scale = ctx.input(1);
    const Tensor* bias = ctx.input(2);
    if (!x || !scale || !bias) return ctx.Error("inputs input, scale and B are required");
    if (x->rank() < 2) return ctx.Error("input must have rank >= 2, got ", x->Describe());
    const int64_t channels = x->dim(1);
    if (scale->size() != channels || bias->size() != channels)
      return ctx.Error("scale ", scale->Describe(), " and B ", bias->Describe(), " must hold ", channels, " values");
    int64_t spatial = 1;
    for (int64_t i = 2; i < x->rank(); ++i) spatial *= x->dim(i);
    const std::vector<double> s = ToDoubleVector(*scale), b = ToDoubleVector(*bias);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), x->shape()));
    if (y->size() == 0) return Status::Ok();
    ONYX_ASSIGN_OR_RETURN(Tensor xc, AsComputeTensor(ctx, *x));
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    const double eps = epsilon_;
    Status st = Dispatch<float, double>(
        xc.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* xp = xc.data<T>();
          T* yp = yc.data<T>();
          ThreadPool::For(ctx.thread_pool(), x->dim(0) * channels,
                          3.0 * static_cast<double>(spatial) * kCheapNsPerElement, [&](int64_t begin, int64_t end) {
                            for (int64_t p = begin; p < end; ++p) {
                              const T* xi = xp + p * spatial;
                              double mean = 0, var = 0;
                              for (int64_t i = 0; i < spatial; ++i) mean += xi[i];
                              mean /= static_cast<double>(spatial);
                              for (int64_t i = 0; i < spatial; ++i) var += (xi[i] - mean) * (xi[i] - mean);
                              var /= static_cast<double>(spatial);
                              const int64_t c = p % channels;
                              const double a = s[c] / std::sqrt(var + eps), sh = b[c] - mean * a;
                              for (int64_t i = 0; i < spatial; ++i)
                                yp[p * spatial + i] = static_cast<T>(xi[i] * a + sh);
                            }
                          });
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    return Status::Ok();
  }

 private:
  float epsilon_ = 1e-5f;
};

}  // namespace

ONYX_REGISTER_KERNEL(InstanceNormalizationKernel,
                     KernelDef("CPU", "", "InstanceNormalization").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "InstanceNormalization", ir::InferSameAsInput);

}  // namespace onyx::cpu
