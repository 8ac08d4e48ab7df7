// Tanh: element-wise hyperbolic tangent.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "ep/cpu/ukernels/float_vmath.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct TanhOp {
  void FloatSpan(const float* x, float* y, int64_t n) const { vmath::Tanh(x, y, n); }
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    return std::tanh(x);
  }
};

using TanhKernel = UnaryKernel<TanhOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(TanhKernel, KernelDef("CPU", "", "Tanh").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Tanh", ir::InferSameAsInput);

}  // namespace onyx::cpu
