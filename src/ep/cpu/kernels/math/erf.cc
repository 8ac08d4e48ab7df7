// Erf: element-wise error function (integers go through double).
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "ep/cpu/ukernels/float_vmath.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct ErfOp {
  void FloatSpan(const float* x, float* y, int64_t n) const { vmath::Erf(x, y, n); }
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    return ViaFloat(x, [](auto v) { return std::erf(v); });
  }
};

using ErfKernel = UnaryKernel<ErfOp, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(ErfKernel, KernelDef("CPU", "", "Erf").Versions(9).Types(0, types::Numeric()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Erf", ir::InferSameAsInput);

}  // namespace onyx::cpu
