#include <limits>

#include "ep/cpu/kernels/nn/global_pool_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

namespace {

class GlobalMaxPoolKernel : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    return GlobalPool(ctx, [](const auto* x, int64_t n) {
      using T = std::remove_cv_t<std::remove_pointer_t<decltype(x)>>;
      T best = n > 0 ? x[0] : std::numeric_limits<T>::lowest();
      for (int64_t i = 1; i < n; ++i) best = x[i] > best ? x[i] : best;
      return best;
    });
  }
};

}  // namespace

ONYX_REGISTER_KERNEL(GlobalMaxPoolKernel, KernelDef("CPU", "", "GlobalMaxPool").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "GlobalMaxPool", InferGlobalPool);

}  // namespace onyx::cpu
