// BitwiseOr: bitwise or of integers with numpy broadcasting.
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct BitwiseOrOp {
  template <typename C>
  C operator()(C a, C b) const {
    return static_cast<C>(a | b);
  }
};

using BitwiseOrKernel = BinaryKernel<BitwiseOrOp, ONYX_INT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(BitwiseOrKernel, KernelDef("CPU", "", "BitwiseOr").Versions(18).Types(0, types::Integers()));
ONYX_REGISTER_SHAPE_INFERENCE("", "BitwiseOr", InferBinaryArith);

}  // namespace onyx::cpu
