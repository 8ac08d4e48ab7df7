// Or: logical or of bool tensors with numpy broadcasting (legacy broadcast below opset 7).
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct OrOp {
  template <typename C>
  bool operator()(C a, C b) const {
    return a || b;
  }
};

using OrKernel = BinaryKernel<OrOp, bool>;

}  // namespace

ONYX_REGISTER_KERNEL(OrKernel, KernelDef("CPU", "", "Or").Versions(1).Types(0, {DataType::kBool}));
ONYX_REGISTER_SHAPE_INFERENCE("", "Or", InferBinaryBool);

}  // namespace onyx::cpu
