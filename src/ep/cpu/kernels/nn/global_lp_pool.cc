#include <cmath>

#include "ep/cpu/kernels/nn/global_pool_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

namespace {

class GlobalLpPoolKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    // Opset 1 spelled p as a float; opset 2 made it an int.
    if (info.opset() < 2) {
      float p = 2.0f;
      ONYX_RETURN_IF_ERROR(info.GetFloat("p", &p, 2.0f));
      p_ = static_cast<int64_t>(p);
    } else {
      ONYX_RETURN_IF_ERROR(info.GetInt("p", &p_, int64_t{2}));
    }
    if (p_ <= 0) return info.Error("p must be positive, got ", p_);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const int64_t p = p_;
    return GlobalPool(ctx, [p](const auto* x, int64_t n) {
      using T = std::remove_cv_t<std::remove_pointer_t<decltype(x)>>;
      T sum = T(0);
      for (int64_t i = 0; i < n; ++i) sum += std::pow(std::abs(x[i]), static_cast<T>(p));
      return std::pow(sum, T(1) / static_cast<T>(p));
    });
  }

 private:
  int64_t p_ = 2;
};

}  // namespace

ONYX_REGISTER_KERNEL(GlobalLpPoolKernel, KernelDef("CPU", "", "GlobalLpPool").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "GlobalLpPool", InferGlobalPool);

}  // namespace onyx::cpu
