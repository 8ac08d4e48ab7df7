// ConcatFromSequence: joins a sequence's tensors along 'axis' (new_axis = 1 stacks them along a new axis).
#include "ep/cpu/kernels/sequence/sequence_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class ConcatFromSequenceKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if (!info.has_attr("axis")) return info.Error("attribute 'axis' is required");
    ONYX_RETURN_IF_ERROR(info.GetInt("axis", &axis_));
    int64_t new_axis = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("new_axis", &new_axis, 0));
    if (new_axis != 0 && new_axis != 1) return info.Error("new_axis must be 0 or 1, got ", new_axis);
    new_axis_ = new_axis == 1;
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    ONYX_ASSIGN_OR_RETURN(const Sequence* seq, SequenceInput(ctx, 0));
    if (seq->items.empty()) return ctx.Error("cannot concatenate an empty sequence");
    std::vector<const Tensor*> parts;
    for (const Value& v : seq->items) {
      if (!v.is_tensor()) return ctx.Error("sequence items must be tensors, got ", v.Describe());
      parts.push_back(&v.tensor());
    }
    const int64_t rank = parts[0]->rank();
    const int64_t out_rank = new_axis_ ? rank + 1 : rank;
    int64_t axis = axis_;
    if (axis < -out_rank || axis >= out_rank) {
      return ctx.Error("axis ", axis_, " is out of range for ", new_axis_ ? "stacking" : "concatenating",
                       " tensors of rank ", rank);
    }
    if (axis < 0) axis += out_rank;
    ONYX_ASSIGN_OR_RETURN(Tensor out, ConcatAlongAxis(ctx, parts, axis, new_axis_));
    return ctx.SetOutput(0, Value(std::move(out)));
  }

 private:
  int64_t axis_ = 0;
  bool new_axis_ = false;
};

Status InferConcatFromSequence(ir::InferenceContext& ctx) {
  const ir::Type* elem = SequenceElemStaticType(ctx, 0);
  if (elem == nullptr || !elem->is_tensor() || elem->elem_type == DataType::kUndefined) return Status::Ok();
  std::optional<ir::SymShape> shape;
  if (elem->shape) {
    const bool new_axis = ctx.attr_int("new_axis", 0) == 1;
    const auto rank = static_cast<int64_t>(elem->shape->size());
    const int64_t out_rank = new_axis ? rank + 1 : rank;
    int64_t axis = ctx.attr_int("axis", 0);
    if (axis < -out_rank || axis >= out_rank) return ctx.Error("axis ", axis, " is out of range for rank ", rank);
    if (axis < 0) axis += out_rank;
    shape = *elem->shape;
    if (new_axis) {
      shape->insert(shape->begin() + axis, ir::Dim{});
    } else {
      (*shape)[static_cast<size_t>(axis)] = ir::Dim{};
    }
  }
  ctx.SetOutput(0, elem->elem_type, shape);
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(ConcatFromSequenceKernel, KernelDef("CPU", "", "ConcatFromSequence").Versions(11));
ONYX_REGISTER_SHAPE_INFERENCE("", "ConcatFromSequence", InferConcatFromSequence);

}  // namespace
}  // namespace onyx::cpu
