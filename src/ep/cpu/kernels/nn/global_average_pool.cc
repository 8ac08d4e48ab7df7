#include "ep/cpu/kernels/nn/global_pool_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

namespace {

class GlobalAveragePoolKernel : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    return GlobalPool(ctx, [](const auto* x, int64_t n) {
      using T = std::remove_cv_t<std::remove_pointer_t<decltype(x)>>;
      T sum = T(0);
      for (int64_t i = 0; i < n; ++i) sum += x[i];
      return n > 0 ? sum / static_cast<T>(n) : T(0);
    });
  }
};

}  // namespace

ONYX_REGISTER_KERNEL(GlobalAveragePoolKernel,
                     KernelDef("CPU", "", "GlobalAveragePool").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "GlobalAveragePool", InferGlobalPool);

}  // namespace onyx::cpu
