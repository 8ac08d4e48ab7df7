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
      if (n <= 0) return std::numeric_limits<T>::lowest();
      // Sixteen running maxima, which the compiler turns into vector max instructions (one chain would stay
      // scalar: it cannot reorder the comparisons). All start at x[0], so a NaN there is the result, as a NaN
      // elsewhere is not, the same as one chain.
      constexpr int64_t kLanes = 16;
      T part[kLanes];
      for (T& p : part) p = x[0];
      int64_t i = 0;
      for (; i + kLanes <= n; i += kLanes) {
        for (int64_t l = 0; l < kLanes; ++l) part[l] = x[i + l] > part[l] ? x[i + l] : part[l];
      }
      T best = part[0];
      for (int64_t l = 1; l < kLanes; ++l) best = part[l] > best ? part[l] : best;
      for (; i < n; ++i) best = x[i] > best ? x[i] : best;
      return best;
    });
  }
};

}  // namespace

ONYX_REGISTER_KERNEL(GlobalMaxPoolKernel, KernelDef("CPU", "", "GlobalMaxPool").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "GlobalMaxPool", InferGlobalPool);

}  // namespace onyx::cpu
