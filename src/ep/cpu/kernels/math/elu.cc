// Elu: x for x >= 0, alpha * (exp(x) - 1) below.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct EluOp {
  static constexpr bool kCostly = true;

  Status Init(const KernelInfo& info) {
    ONYX_RETURN_IF_ERROR(info.GetFloat("alpha", &alpha_, 1.0f));
    return Status::Ok();
  }

  template <typename C>
  C operator()(C x) const {
    return x < C{0} ? static_cast<C>(alpha_) * std::expm1(x) : x;
  }

  float alpha_ = 1.0f;
};

using EluKernel = UnaryKernel<EluOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(EluKernel, KernelDef("CPU", "", "Elu").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Elu", ir::InferSameAsInput);

}  // namespace onyx::cpu
