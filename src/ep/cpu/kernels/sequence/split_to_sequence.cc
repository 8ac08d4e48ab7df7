// SplitToSequence: cuts a tensor along an axis into a sequence of tensors: one per index (the axis dropped when
// keepdims is 0), chunks of a scalar 'split' size (the last may be shorter), or the lengths a 1-D 'split' gives.
#include "common/checked_math.h"
#include "ep/cpu/kernels/sequence/sequence_util.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class SplitToSequenceKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("axis", &axis_, 0));
    int64_t keepdims = 1;
    ONYX_RETURN_IF_ERROR(info.GetInt("keepdims", &keepdims, 1));
    if (keepdims != 0 && keepdims != 1) return info.Error("keepdims must be 0 or 1, got ", keepdims);
    keepdims_ = keepdims == 1;
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 0 must be a tensor");
    int64_t axis = axis_;
    if (x->rank() == 0 || !NormalizeAxis(&axis, x->rank())) {
      return ctx.Error("axis ", axis_, " is out of range for input ", x->Describe());
    }
    const int64_t dim = x->dim(axis);
    Sequence seq;
    seq.elem_type = x->type();
    const Tensor* split = ctx.input(1);
    if (split == nullptr) {
      for (int64_t i = 0; i < dim; ++i) {
        ONYX_ASSIGN_OR_RETURN(Tensor part,
                              keepdims_ ? SliceAlongAxis(ctx, *x, axis, i, 1) : TakeAlongAxis(ctx, *x, axis, i));
        seq.items.emplace_back(std::move(part));
      }
      return ctx.SetOutput(0, Value::FromSequence(std::move(seq)));
    }
    if (split->type() != DataType::kInt64 && split->type() != DataType::kInt32) {
      return ctx.Error("split must be int32 or int64, got ", split->Describe());
    }
    if (split->rank() > 1) return ctx.Error("split must be a scalar or 1-D, got ", split->Describe());
    ONYX_ASSIGN_OR_RETURN(std::vector<int64_t> sizes, ReadInt64s(*split, ctx.node(), "split"));
    std::vector<int64_t> lengths;
    if (split->rank() == 0) {
      const int64_t chunk = sizes[0];
      if (chunk <= 0) return ctx.Error("split must be positive, got ", chunk);
      for (int64_t at = 0; at < dim; at += chunk) lengths.push_back(std::min(chunk, dim - at));
    } else {
      int64_t sum = 0;
      for (int64_t s : sizes) {
        if (s < 0) return ctx.Error("split lengths must not be negative, got ", s);
        if (!CheckedAdd(sum, s, &sum) || sum > dim) {  // sizes from an input: a huge one must not overflow
          sum = -1;
          break;
        }
      }
      if (sum != dim) {
        return ctx.Error("split lengths must add up to ", dim, " (dim ", axis, " of ", x->Describe(), ")");
      }
      lengths = std::move(sizes);
    }
    int64_t at = 0;
    for (int64_t len : lengths) {
      ONYX_ASSIGN_OR_RETURN(Tensor part, SliceAlongAxis(ctx, *x, axis, at, len));
      seq.items.emplace_back(std::move(part));
      at += len;
    }
    return ctx.SetOutput(0, Value::FromSequence(std::move(seq)));
  }

 private:
  int64_t axis_ = 0;
  bool keepdims_ = true;
};

Status InferSplitToSequence(ir::InferenceContext& ctx) {
  const DataType type = ctx.input_elem_type(0);
  if (type == DataType::kUndefined) return Status::Ok();
  std::optional<ir::SymShape> shape;
  if (const ir::SymShape* in = ctx.input_shape(0)) {
    int64_t axis = ctx.attr_int("axis", 0);
    const auto rank = static_cast<int64_t>(in->size());
    if (!NormalizeAxis(&axis, rank))
      return ctx.Error("axis ", ctx.attr_int("axis", 0), " is out of range for rank ", rank);
    shape = *in;
    if (!ctx.has_input(1)) {
      if (ctx.attr_int("keepdims", 1) == 0) {
        shape->erase(shape->begin() + axis);
      } else {
        (*shape)[static_cast<size_t>(axis)] = ir::Dim::Known(1);
      }
    } else {
      (*shape)[static_cast<size_t>(axis)] = ir::Dim{};
    }
  }
  ctx.SetOutputType(0, SequenceTypeOf(ir::Type::Tensor(type, shape)));
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(SplitToSequenceKernel, KernelDef("CPU", "", "SplitToSequence").Versions(11));
ONYX_REGISTER_SHAPE_INFERENCE("", "SplitToSequence", InferSplitToSequence);

}  // namespace
}  // namespace onyx::cpu
