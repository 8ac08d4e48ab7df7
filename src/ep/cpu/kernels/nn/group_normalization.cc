// GroupNormalization: channels split into num_groups groups, each normalized
// over its channels and spatial positions; scale and bias are per group at
// opset 18 and per channel from opset 21.
#include <cmath>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

class GroupNormalizationKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetFloat("epsilon", &epsilon_, 1e-5f));
    if (!info.has_attr("num_groups")) return info.Error("attribute num_groups is required");
    ONYX_RETURN_IF_ERROR(info.GetInt("num_groups", &groups_));
    if (groups_ <= 0) return info.Error("num_groups must be positive, got ", groups_);
    per_channel_ = info.opset() >= 21;
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* scale = ctx.input(1);
    const Tensor* bias = ctx.input(2);
    if (!x || !scale || !bias) return ctx.Error("inputs X, scale and bias are required");
    if (x->rank() < 2) return ctx.Error("X must have rank >= 2, got ", x->Describe());
    const int64_t channels = x->dim(1);
    if (channels % groups_ != 0) return ctx.Error("channels ", channels, " are not divisible by num_groups ", groups_);
    const int64_t params = per_channel_ ? channels : groups_;
    if (scale->size() != params || bias->size() != params)
      return ctx.Error("scale and bias must hold ", params, " values, got ", scale->Describe(), " and ",
                       bias->Describe());
    int64_t spatial = 1;
    for (int64_t i = 2; i < x->rank(); ++i) spatial *= x->dim(i);
    const int64_t cpg = channels / groups_, group_size = cpg * spatial;
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
          ThreadPool::For(ctx.thread_pool(), x->dim(0) * groups_,
                          3.0 * static_cast<double>(group_size) * kCheapNsPerElement, [&](int64_t begin, int64_t end) {
                            for (int64_t p = begin; p < end; ++p) {
                              const T* xi = xp + p * group_size;
                              double mean = 0, var = 0;
                              for (int64_t i = 0; i < group_size; ++i) mean += xi[i];
                              mean /= static_cast<double>(group_size);
                              for (int64_t i = 0; i < group_size; ++i) var += (xi[i] - mean) * (xi[i] - mean);
                              var /= static_cast<double>(group_size);
                              const double inv = 1.0 / std::sqrt(var + eps);
                              const int64_t g = p % groups_;
                              for (int64_t i = 0; i < group_size; ++i) {
                                const int64_t k = per_channel_ ? g * cpg + i / spatial : g;
                                yp[p * group_size + i] = static_cast<T>((xi[i] - mean) * inv * s[k] + b[k]);
                              }
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
  int64_t groups_ = 1;
  bool per_channel_ = true;
};

}  // namespace

ONYX_REGISTER_KERNEL(GroupNormalizationKernel,
                     KernelDef("CPU", "", "GroupNormalization").Versions(18).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "GroupNormalization", ir::InferSameAsInput);

}  // namespace onyx::cpu
