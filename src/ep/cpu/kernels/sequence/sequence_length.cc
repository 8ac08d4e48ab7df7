// SequenceLength: the number of tensors in a sequence, as an int64 scalar.
#include "ep/cpu/kernels/sequence/sequence_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class SequenceLengthKernel final : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    ONYX_ASSIGN_OR_RETURN(const Sequence* seq, SequenceInput(ctx, 0));
    ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(0, DataType::kInt64, {}));
    out->data<int64_t>()[0] = static_cast<int64_t>(seq->items.size());
    return Status::Ok();
  }
};

Status InferSequenceLength(ir::InferenceContext& ctx) {
  ctx.SetOutput(0, DataType::kInt64, ir::SymShape{});
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(SequenceLengthKernel, KernelDef("CPU", "", "SequenceLength").Versions(11));
ONYX_REGISTER_SHAPE_INFERENCE("", "SequenceLength", InferSequenceLength);

}  // namespace
}  // namespace onyx::cpu
