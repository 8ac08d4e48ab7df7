// SequenceInsert: a new sequence with a tensor inserted at a position (appended when the position is omitted).
#include "ep/cpu/kernels/sequence/sequence_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class SequenceInsertKernel final : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    ONYX_ASSIGN_OR_RETURN(const Sequence* seq, SequenceInput(ctx, 0));
    const Tensor* t = ctx.input(1);
    if (t == nullptr) return ctx.Error("the tensor to insert (input 1) is missing or not a tensor");
    const DataType elem = SequenceElemType(*seq);
    if (elem != DataType::kUndefined && elem != t->type()) {
      return ctx.Error("cannot insert a ", DataTypeName(t->type()), " tensor into a sequence of ", DataTypeName(elem));
    }
    const auto n = static_cast<int64_t>(seq->items.size());
    int64_t pos = n;
    if (const Tensor* pos_t = ctx.input(2)) {
      ONYX_ASSIGN_OR_RETURN(pos, ReadPosition(ctx, *pos_t, "position"));
      if (pos < -n || pos > n) return ctx.Error("position ", pos, " is out of range [", -n, ", ", n, "]");
      if (pos < 0) pos += n;
    }
    Sequence out;
    out.elem_type = t->type();
    out.items.reserve(seq->items.size() + 1);
    out.items.insert(out.items.end(), seq->items.begin(), seq->items.begin() + pos);
    out.items.emplace_back(*t);
    out.items.insert(out.items.end(), seq->items.begin() + pos, seq->items.end());
    return ctx.SetOutput(0, Value::FromSequence(std::move(out)));
  }
};

Status InferSequenceInsert(ir::InferenceContext& ctx) {
  const ir::Type* elem = SequenceElemStaticType(ctx, 0);
  const ir::Type* t = ctx.input_type(1);
  if (elem && t && elem->is_tensor() && t->is_tensor() && elem->elem_type != DataType::kUndefined &&
      t->elem_type != DataType::kUndefined && elem->elem_type != t->elem_type) {
    return ctx.Error("cannot insert a ", DataTypeName(t->elem_type), " tensor into a sequence of ",
                     DataTypeName(elem->elem_type));
  }
  if (elem && t && elem->is_tensor() && t->is_tensor()) {
    ctx.SetOutputType(0, SequenceTypeOf(MergeTypes(*elem, *t)));
  } else if (t && t->is_tensor() && t->elem_type != DataType::kUndefined) {
    ctx.SetOutputType(0, SequenceTypeOf(ir::Type::Tensor(t->elem_type)));
  }
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(SequenceInsertKernel, KernelDef("CPU", "", "SequenceInsert").Versions(11));
ONYX_REGISTER_SHAPE_INFERENCE("", "SequenceInsert", InferSequenceInsert);

}  // namespace
}  // namespace onyx::cpu
