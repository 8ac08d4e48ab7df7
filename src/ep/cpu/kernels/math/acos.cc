// Acos: element-wise acos.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct AcosOp {
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    return std::acos(x);
  }
};

using AcosKernel = UnaryKernel<AcosOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(AcosKernel, KernelDef("CPU", "", "Acos").Versions(7).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Acos", ir::InferSameAsInput);

}  // namespace onyx::cpu
