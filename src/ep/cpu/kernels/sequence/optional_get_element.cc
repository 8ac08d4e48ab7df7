// OptionalGetElement: the value inside an optional (an error when it is empty); a plain tensor or sequence
// passes through (opset 18 allows those).
#include "ep/cpu/kernels/sequence/sequence_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class OptionalGetElementKernel final : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Value* in = ctx.input_value(0);
    if (in == nullptr) return ctx.Error("the input is missing");
    if (!in->is_optional()) return ctx.SetOutput(0, *in);
    if (!in->has_element()) return ctx.Error("the optional input is empty");
    return ctx.SetOutput(0, in->optional_element());
  }
};

Status InferOptionalGetElement(ir::InferenceContext& ctx) {
  const ir::Type* in = ctx.input_type(0);
  if (in == nullptr) return Status::Ok();
  if (in->kind == ir::Type::Kind::kOptional) {
    if (in->inner && in->inner->kind != ir::Type::Kind::kUnknown) ctx.SetOutputType(0, *in->inner);
  } else if (in->kind != ir::Type::Kind::kUnknown) {
    ctx.SetOutputType(0, *in);
  }
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(OptionalGetElementKernel, KernelDef("CPU", "", "OptionalGetElement").Versions(15));
ONYX_REGISTER_SHAPE_INFERENCE("", "OptionalGetElement", InferOptionalGetElement);

}  // namespace
}  // namespace onyx::cpu
