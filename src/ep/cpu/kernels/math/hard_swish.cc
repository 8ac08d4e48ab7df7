// HardSwish: x * max(0, min(1, x / 6 + 1/2)).
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct HardSwishOp {
  template <typename C>
  C operator()(C x) const {
    C v = x / C{6} + C{0.5};
    return x * (v < C{0} ? C{0} : (v > C{1} ? C{1} : v));
  }
};

using HardSwishKernel = UnaryKernel<HardSwishOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(HardSwishKernel, KernelDef("CPU", "", "HardSwish").Versions(14).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "HardSwish", ir::InferSameAsInput);

}  // namespace onyx::cpu
