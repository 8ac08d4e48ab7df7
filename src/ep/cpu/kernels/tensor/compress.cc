// Compress: keeps the slices along 'axis' whose condition is true (the flattened input when there is no
// axis). The condition may be shorter than the axis; missing entries count as false.
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class CompressKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    has_axis_ = info.has_attr("axis");
    return info.GetInt("axis", &axis_, 0);
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* cond = ctx.input(1);
    if (x == nullptr || cond == nullptr) return ctx.Error("inputs 'input' and 'condition' are required");
    if (cond->type() != DataType::kBool || cond->rank() != 1) {
      return ctx.Error("condition must be a 1-D bool tensor, got ", cond->Describe());
    }
    Shape view = has_axis_ ? x->shape() : Shape{x->size()};
    int64_t axis = has_axis_ ? axis_ : 0;
    if (!NormalizeAxis(&axis, static_cast<int64_t>(view.size()))) {
      return ctx.Error("axis ", axis_, " is out of range for ", x->Describe());
    }
    const int64_t n = view[static_cast<size_t>(axis)];
    if (cond->size() > n) return ctx.Error("condition has ", cond->size(), " entries for an axis of size ", n);
    std::vector<int64_t> keep;
    for (int64_t i = 0; i < cond->size(); ++i) {
      if (cond->data<bool>()[i]) keep.push_back(i);
    }
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= view[static_cast<size_t>(d)];
    for (size_t d = static_cast<size_t>(axis) + 1; d < view.size(); ++d) inner *= view[d];
    Shape out_shape = view;
    out_shape[static_cast<size_t>(axis)] = static_cast<int64_t>(keep.size());
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), out_shape));
    return DispatchByWidth(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* in = x->data<T>();
          T* out = y->data<T>();
          for (int64_t o = 0; o < outer; ++o) {
            for (int64_t j : keep) {
              CopyElements(in + (o * n + j) * inner, out, inner);
              out += inner;
            }
          }
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  bool has_axis_ = false;
  int64_t axis_ = 0;
};

Status InferCompress(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  const ir::SymShape* in = ctx.input_shape(0);
  if (ctx.attr("axis") == nullptr) {
    SetOutputIfKnown(ctx, 0, t, ir::SymShape(1));
  } else if (in) {
    int64_t axis = ctx.attr_int("axis", 0);
    if (!NormalizeAxis(&axis, static_cast<int64_t>(in->size()))) return ctx.Error("axis ", axis, " is out of range");
    ir::SymShape out = *in;
    out[static_cast<size_t>(axis)] = ir::Dim{};
    SetOutputIfKnown(ctx, 0, t, out);
  } else {
    SetOutputIfKnown(ctx, 0, t, std::nullopt);
  }
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(CompressKernel, KernelDef("CPU", "", "Compress").Versions(9));
ONYX_REGISTER_SHAPE_INFERENCE("", "Compress", InferCompress);

}  // namespace onyx::cpu
