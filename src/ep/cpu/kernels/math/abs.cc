// Abs: element-wise absolute value (integers wrap: |min| stays min).
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct AbsOp {
  template <typename C>
  C operator()(C x) const {
    if constexpr (std::is_unsigned_v<C>) {
      return x;
    } else if constexpr (std::is_integral_v<C>) {
      return x < 0 ? WrapSub(C{0}, x) : x;
    } else {
      return std::abs(x);
    }
  }
};

using AbsKernel = UnaryKernel<AbsOp, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(AbsKernel, KernelDef("CPU", "", "Abs").Versions(1).Types(0, types::Numeric()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Abs", ir::InferSameAsInput);

}  // namespace onyx::cpu
