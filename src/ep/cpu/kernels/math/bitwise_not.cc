// BitwiseNot: element-wise bitwise complement of integers.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct BitwiseNotOp {
  template <typename C>
  C operator()(C x) const {
    return static_cast<C>(~x);
  }
};

using BitwiseNotKernel = UnaryKernel<BitwiseNotOp, ONYX_INT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(BitwiseNotKernel, KernelDef("CPU", "", "BitwiseNot").Versions(18).Types(0, types::Integers()));
ONYX_REGISTER_SHAPE_INFERENCE("", "BitwiseNot", ir::InferSameAsInput);

}  // namespace onyx::cpu
