// BitwiseAnd: bitwise and of integers with numpy broadcasting.
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct BitwiseAndOp {
  template <typename C>
  C operator()(C a, C b) const {
    return static_cast<C>(a & b);
  }
};

using BitwiseAndKernel = BinaryKernel<BitwiseAndOp, ONYX_INT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(BitwiseAndKernel, KernelDef("CPU", "", "BitwiseAnd").Versions(18).Types(0, types::Integers()));
ONYX_REGISTER_SHAPE_INFERENCE("", "BitwiseAnd", InferBinaryArith);

}  // namespace onyx::cpu
