// Asinh: element-wise asinh.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct AsinhOp {
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    return std::asinh(x);
  }
};

using AsinhKernel = UnaryKernel<AsinhOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(AsinhKernel, KernelDef("CPU", "", "Asinh").Versions(9).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Asinh", ir::InferSameAsInput);

}  // namespace onyx::cpu
