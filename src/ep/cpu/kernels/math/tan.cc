// Tan: element-wise tan.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct TanOp {
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    return std::tan(x);
  }
};

using TanKernel = UnaryKernel<TanOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(TanKernel, KernelDef("CPU", "", "Tan").Versions(7).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Tan", ir::InferSameAsInput);

}  // namespace onyx::cpu
