// Relu: max(x, 0) element-wise; NaN stays NaN.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct ReluOp {
  template <typename C>
  C operator()(C x) const {
    return x < C{0} ? C{0} : x;
  }
};

using ReluKernel = UnaryKernel<ReluOp, ONYX_ALL_FLOAT_TYPES, ONYX_SIGNED_INT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(ReluKernel, KernelDef("CPU", "", "Relu").Versions(1).Types(0, types::Signed()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Relu", ir::InferSameAsInput);

}  // namespace onyx::cpu
