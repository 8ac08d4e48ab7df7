// Atanh: element-wise atanh.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct AtanhOp {
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    return std::atanh(x);
  }
};

using AtanhKernel = UnaryKernel<AtanhOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(AtanhKernel, KernelDef("CPU", "", "Atanh").Versions(9).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Atanh", ir::InferSameAsInput);

}  // namespace onyx::cpu
