// Mul: element-wise multiplication with numpy broadcasting (legacy broadcast/axis attributes below opset 7).
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct MulOp {
  template <typename C>
  C operator()(C a, C b) const {
    return WrapMul(a, b);
  }
};

using MulKernel = BinaryKernel<MulOp, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(MulKernel, KernelDef("CPU", "", "Mul").Versions(1).Types(0, types::Numeric()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Mul", InferBinaryArith);

}  // namespace onyx::cpu
