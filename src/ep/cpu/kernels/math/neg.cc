// Neg: element-wise negation (integers wrap: -min stays min).
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct NegOp {
  template <typename C>
  C operator()(C x) const {
    return WrapSub(C{0}, x);
  }
};

using NegKernel = UnaryKernel<NegOp, ONYX_ALL_FLOAT_TYPES, ONYX_SIGNED_INT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(NegKernel, KernelDef("CPU", "", "Neg").Versions(1).Types(0, types::Signed()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Neg", ir::InferSameAsInput);

}  // namespace onyx::cpu
