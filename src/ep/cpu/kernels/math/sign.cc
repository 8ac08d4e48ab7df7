// Sign: -1, 0 or 1 by the sign of x; NaN stays NaN.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct SignOp {
  template <typename C>
  C operator()(C x) const {
    if constexpr (std::is_unsigned_v<C>) {
      return x > 0 ? C{1} : C{0};
    } else {
      return x > C{0} ? C{1} : (x < C{0} ? C{-1} : x);
    }
  }
};

using SignKernel = UnaryKernel<SignOp, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(SignKernel, KernelDef("CPU", "", "Sign").Versions(9).Types(0, types::Numeric()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Sign", ir::InferSameAsInput);

}  // namespace onyx::cpu
