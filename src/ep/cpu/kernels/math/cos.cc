// Cos: element-wise cos.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct CosOp {
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    return std::cos(x);
  }
};

using CosKernel = UnaryKernel<CosOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(CosKernel, KernelDef("CPU", "", "Cos").Versions(7).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Cos", ir::InferSameAsInput);

}  // namespace onyx::cpu
