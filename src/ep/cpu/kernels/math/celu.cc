// Celu: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)); alpha must not be 0.
#include <cmath>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct CeluOp {
  static constexpr bool kCostly = true;

  Status Init(const KernelInfo& info) {
    ONYX_RETURN_IF_ERROR(info.GetFloat("alpha", &alpha_, 1.0f));
    if (alpha_ == 0) return info.Error("attribute alpha must not be 0");
    return Status::Ok();
  }

  template <typename C>
  C operator()(C x) const {
    const C a = static_cast<C>(alpha_);
    return x > C{0} ? x : a * std::expm1(x / a);
  }

  float alpha_ = 1.0f;
};

using CeluKernel = UnaryKernel<CeluOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(CeluKernel, KernelDef("CPU", "", "Celu").Versions(12).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Celu", ir::InferSameAsInput);

}  // namespace onyx::cpu
