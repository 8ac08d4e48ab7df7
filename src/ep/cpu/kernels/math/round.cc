// Round: rounds to the nearest integer, halves to even (the default rounding mode of nearbyint).
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct RoundOp {
  template <typename C>
  C operator()(C x) const {
    return std::nearbyint(x);
  }
};

using RoundKernel = UnaryKernel<RoundOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(RoundKernel, KernelDef("CPU", "", "Round").Versions(11).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Round", ir::InferSameAsInput);

}  // namespace onyx::cpu
