// Softplus: log(1 + exp(x)), computed without overflow for large x.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct SoftplusOp {
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    return x > C{0} ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
  }
};

using SoftplusKernel = UnaryKernel<SoftplusOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(SoftplusKernel, KernelDef("CPU", "", "Softplus").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Softplus", ir::InferSameAsInput);

}  // namespace onyx::cpu
