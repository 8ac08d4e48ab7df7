// Sinh: element-wise sinh.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct SinhOp {
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    return std::sinh(x);
  }
};

using SinhKernel = UnaryKernel<SinhOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(SinhKernel, KernelDef("CPU", "", "Sinh").Versions(9).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Sinh", ir::InferSameAsInput);

}  // namespace onyx::cpu
