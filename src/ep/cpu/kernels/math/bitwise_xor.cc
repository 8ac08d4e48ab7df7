// BitwiseXor: bitwise xor of integers with numpy broadcasting.
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct BitwiseXorOp {
  template <typename C>
  C operator()(C a, C b) const {
    return static_cast<C>(a ^ b);
  }
};

using BitwiseXorKernel = BinaryKernel<BitwiseXorOp, ONYX_INT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(BitwiseXorKernel, KernelDef("CPU", "", "BitwiseXor").Versions(18).Types(0, types::Integers()));
ONYX_REGISTER_SHAPE_INFERENCE("", "BitwiseXor", InferBinaryArith);

}  // namespace onyx::cpu
