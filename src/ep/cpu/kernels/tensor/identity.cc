// Identity: passes its input through (a tensor shares its buffer; sequences and optionals, opset 14/16, too).
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class IdentityKernel final : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Value* v = ctx.input_value(0);
    if (v == nullptr) return ctx.Error("input 'input' is missing");
    return ctx.SetOutput(0, *v);
  }
};

}  // namespace

ONYX_REGISTER_KERNEL(IdentityKernel, KernelDef("CPU", "", "Identity").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Identity", ir::InferSameAsInput);

}  // namespace onyx::cpu
