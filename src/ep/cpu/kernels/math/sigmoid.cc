// Sigmoid: 1 / (1 + exp(-x)), in a form that never overflows exp.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "ep/cpu/ukernels/float_vmath.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct SigmoidOp {
  void FloatSpan(const float* x, float* y, int64_t n) const { vmath::Sigmoid(x, y, n); }
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    if (x >= C{0}) return C{1} / (C{1} + std::exp(-x));
    C e = std::exp(x);
    return e / (C{1} + e);
  }
};

using SigmoidKernel = UnaryKernel<SigmoidOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(SigmoidKernel, KernelDef("CPU", "", "Sigmoid").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Sigmoid", ir::InferSameAsInput);

}  // namespace onyx::cpu
