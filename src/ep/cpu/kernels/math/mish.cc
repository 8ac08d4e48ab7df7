// Mish: x * tanh(softplus(x)).
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct MishOp {
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    C sp = x > C{0} ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    return x * std::tanh(sp);
  }
};

using MishKernel = UnaryKernel<MishOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(MishKernel, KernelDef("CPU", "", "Mish").Versions(18).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Mish", ir::InferSameAsInput);

}  // namespace onyx::cpu
