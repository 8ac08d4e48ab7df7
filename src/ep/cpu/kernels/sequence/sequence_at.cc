// SequenceAt: the tensor at a (possibly negative) position of a sequence.
#include "ep/cpu/kernels/sequence/sequence_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class SequenceAtKernel final : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    ONYX_ASSIGN_OR_RETURN(const Sequence* seq, SequenceInput(ctx, 0));
    const Tensor* pos_t = ctx.input(1);
    if (pos_t == nullptr) return ctx.Error("position (input 1) must be a tensor");
    ONYX_ASSIGN_OR_RETURN(int64_t pos, ReadPosition(ctx, *pos_t, "position"));
    const auto n = static_cast<int64_t>(seq->items.size());
    if (pos < -n || pos >= n) return ctx.Error("position ", pos, " is out of range for a sequence of length ", n);
    if (pos < 0) pos += n;
    return ctx.SetOutput(0, seq->items[static_cast<size_t>(pos)]);
  }
};

Status InferSequenceAt(ir::InferenceContext& ctx) {
  if (const ir::Type* elem = SequenceElemStaticType(ctx, 0); elem && elem->kind != ir::Type::Kind::kUnknown) {
    ctx.SetOutputType(0, *elem);
  }
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(SequenceAtKernel, KernelDef("CPU", "", "SequenceAt").Versions(11));
ONYX_REGISTER_SHAPE_INFERENCE("", "SequenceAt", InferSequenceAt);

}  // namespace
}  // namespace onyx::cpu
