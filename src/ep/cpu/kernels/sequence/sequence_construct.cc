// SequenceConstruct: a sequence holding the input tensors, in order.
#include "ep/cpu/kernels/sequence/sequence_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class SequenceConstructKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if (info.input_count() == 0) return info.Error("needs at least one input tensor");
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    Sequence seq;
    for (size_t i = 0; i < ctx.input_count(); ++i) {
      const Tensor* t = ctx.input(i);
      if (t == nullptr) return ctx.Error("input ", i, " must be a tensor");
      if (i == 0) seq.elem_type = t->type();
      if (t->type() != seq.elem_type) {
        return ctx.Error("all inputs must share one element type: input ", i, " is ", DataTypeName(t->type()),
                         ", input 0 is ", DataTypeName(seq.elem_type));
      }
      seq.items.emplace_back(*t);
    }
    return ctx.SetOutput(0, Value::FromSequence(std::move(seq)));
  }
};

Status InferSequenceConstruct(ir::InferenceContext& ctx) {
  if (ctx.input_count() == 0 || ctx.input_type(0) == nullptr) return Status::Ok();
  ir::Type elem = *ctx.input_type(0);
  for (size_t i = 1; i < ctx.input_count(); ++i) {
    if (ctx.input_type(i) == nullptr) return Status::Ok();
    if (elem.is_tensor() && ctx.input_type(i)->is_tensor() && elem.elem_type != DataType::kUndefined &&
        ctx.input_type(i)->elem_type != DataType::kUndefined && elem.elem_type != ctx.input_type(i)->elem_type) {
      return ctx.Error("inputs 0 and ", i, " have different element types");
    }
    elem = MergeTypes(elem, *ctx.input_type(i));
  }
  if (elem.is_tensor() && elem.elem_type != DataType::kUndefined) ctx.SetOutputType(0, SequenceTypeOf(elem));
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(SequenceConstructKernel, KernelDef("CPU", "", "SequenceConstruct").Versions(11));
ONYX_REGISTER_SHAPE_INFERENCE("", "SequenceConstruct", InferSequenceConstruct);

}  // namespace
}  // namespace onyx::cpu
