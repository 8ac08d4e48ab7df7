// Xor: logical xor of bool tensors with numpy broadcasting (legacy broadcast below opset 7).
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct XorOp {
  template <typename C>
  bool operator()(C a, C b) const {
    return a != b;
  }
};

using XorKernel = BinaryKernel<XorOp, bool>;

}  // namespace

ONYX_REGISTER_KERNEL(XorKernel, KernelDef("CPU", "", "Xor").Versions(1).Types(0, {DataType::kBool}));
ONYX_REGISTER_SHAPE_INFERENCE("", "Xor", InferBinaryBool);

}  // namespace onyx::cpu
