// Atan: element-wise atan.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct AtanOp {
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    return std::atan(x);
  }
};

using AtanKernel = UnaryKernel<AtanOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(AtanKernel, KernelDef("CPU", "", "Atan").Versions(7).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Atan", ir::InferSameAsInput);

}  // namespace onyx::cpu
