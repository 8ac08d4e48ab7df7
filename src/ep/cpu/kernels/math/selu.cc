// Selu: gamma * x for x > 0, gamma * alpha * (exp(x) - 1) otherwise.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct SeluOp {
  static constexpr bool kCostly = true;

  Status Init(const KernelInfo& info) {
    ONYX_RETURN_IF_ERROR(info.GetFloat("alpha", &alpha_, 1.67326319217681884765625f));
    ONYX_RETURN_IF_ERROR(info.GetFloat("gamma", &gamma_, 1.05070102214813232421875f));
    return Status::Ok();
  }

  template <typename C>
  C operator()(C x) const {
    return x > C{0} ? static_cast<C>(gamma_) * x : static_cast<C>(gamma_) * static_cast<C>(alpha_) * std::expm1(x);
  }

  float alpha_ = 1.67326319217681884765625f;
  float gamma_ = 1.05070102214813232421875f;
};

using SeluKernel = UnaryKernel<SeluOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(SeluKernel, KernelDef("CPU", "", "Selu").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Selu", ir::InferSameAsInput);

}  // namespace onyx::cpu
