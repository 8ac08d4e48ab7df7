// And: logical and of bool tensors with numpy broadcasting (legacy broadcast below opset 7).
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct AndOp {
  template <typename C>
  bool operator()(C a, C b) const {
    return a && b;
  }
};

using AndKernel = BinaryKernel<AndOp, bool>;

}  // namespace

ONYX_REGISTER_KERNEL(AndKernel, KernelDef("CPU", "", "And").Versions(1).Types(0, {DataType::kBool}));
ONYX_REGISTER_SHAPE_INFERENCE("", "And", InferBinaryBool);

}  // namespace onyx::cpu
