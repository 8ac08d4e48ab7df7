// SequenceErase: a new sequence without the tensor at a position (the last one when the position is omitted).
#include "ep/cpu/kernels/sequence/sequence_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class SequenceEraseKernel final : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    ONYX_ASSIGN_OR_RETURN(const Sequence* seq, SequenceInput(ctx, 0));
    const auto n = static_cast<int64_t>(seq->items.size());
    if (n == 0) return ctx.Error("cannot erase from an empty sequence");
    int64_t pos = n - 1;
    if (const Tensor* pos_t = ctx.input(1)) {
      ONYX_ASSIGN_OR_RETURN(pos, ReadPosition(ctx, *pos_t, "position"));
      if (pos < -n || pos >= n) return ctx.Error("position ", pos, " is out of range [", -n, ", ", n - 1, "]");
      if (pos < 0) pos += n;
    }
    Sequence out;
    out.elem_type = SequenceElemType(*seq);
    out.items = seq->items;
    out.items.erase(out.items.begin() + pos);
    return ctx.SetOutput(0, Value::FromSequence(std::move(out)));
  }
};

Status InferSequenceErase(ir::InferenceContext& ctx) {
  if (const ir::Type* t = ctx.input_type(0); t && t->kind == ir::Type::Kind::kSequence) ctx.SetOutputType(0, *t);
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(SequenceEraseKernel, KernelDef("CPU", "", "SequenceErase").Versions(11));
ONYX_REGISTER_SHAPE_INFERENCE("", "SequenceErase", InferSequenceErase);

}  // namespace
}  // namespace onyx::cpu
