// Acosh: element-wise acosh.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct AcoshOp {
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    return std::acosh(x);
  }
};

using AcoshKernel = UnaryKernel<AcoshOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(AcoshKernel, KernelDef("CPU", "", "Acosh").Versions(9).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Acosh", ir::InferSameAsInput);

}  // namespace onyx::cpu
