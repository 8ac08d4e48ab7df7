// Cosh: element-wise cosh.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct CoshOp {
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    return std::cosh(x);
  }
};

using CoshKernel = UnaryKernel<CoshOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(CoshKernel, KernelDef("CPU", "", "Cosh").Versions(9).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Cosh", ir::InferSameAsInput);

}  // namespace onyx::cpu
