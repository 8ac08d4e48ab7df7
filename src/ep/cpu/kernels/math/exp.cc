// Exp: element-wise e**x.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "ep/cpu/ukernels/float_vmath.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct ExpOp {
  void FloatSpan(const float* x, float* y, int64_t n) const { vmath::Exp(x, y, n); }
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    return std::exp(x);
  }
};

using ExpKernel = UnaryKernel<ExpOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(ExpKernel, KernelDef("CPU", "", "Exp").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Exp", ir::InferSameAsInput);

}  // namespace onyx::cpu
