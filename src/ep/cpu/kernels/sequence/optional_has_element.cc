// OptionalHasElement: true for an optional holding a value and for a plain tensor or sequence; false for an
// empty optional or (opset 18) an omitted input.
#include "ep/cpu/kernels/sequence/sequence_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class OptionalHasElementKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if (info.opset() < 18 && !info.has_input(0)) return info.Error("the input is required before opset 18");
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Value* in = ctx.input_value(0);
    bool has = in != nullptr && (!in->is_optional() || in->has_element());
    ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(0, DataType::kBool, {}));
    out->data<bool>()[0] = has;
    return Status::Ok();
  }
};

Status InferOptionalHasElement(ir::InferenceContext& ctx) {
  ctx.SetOutput(0, DataType::kBool, ir::SymShape{});
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(OptionalHasElementKernel, KernelDef("CPU", "", "OptionalHasElement").Versions(15));
ONYX_REGISTER_SHAPE_INFERENCE("", "OptionalHasElement", InferOptionalHasElement);

}  // namespace
}  // namespace onyx::cpu
