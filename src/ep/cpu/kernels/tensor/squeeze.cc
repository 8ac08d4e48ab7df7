// Squeeze: a view without the size-1 dims listed in 'axes' (an attribute before opset 13, an optional input
// after); without axes every size-1 dim goes. Squeezing a dim that is not 1 is an error.
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class SqueezeKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if (info.opset() < 13 && info.has_attr("axes")) {
      has_axes_ = true;
      ONYX_RETURN_IF_ERROR(info.GetInts("axes", &axes_));
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'data' is missing");
    std::vector<int64_t> axes = axes_;
    bool has_axes = has_axes_;
    if (ctx.node().opset() >= 13) {
      if (const Tensor* a = ctx.input(1)) {
        has_axes = true;
        ONYX_ASSIGN_OR_RETURN(axes, ReadInt64s(*a, ctx.node(), "input 'axes'"));
      }
    }
    std::vector<bool> drop(x->shape().size(), false);
    if (has_axes) {
      for (int64_t a : axes) {
        int64_t axis = a;
        if (!NormalizeAxis(&axis, x->rank())) return ctx.Error("axis ", a, " is out of range for ", x->Describe());
        if (x->dim(axis) != 1)
          return ctx.Error("cannot squeeze axis ", a, " of ", x->Describe(), ": its size is not 1");
        drop[static_cast<size_t>(axis)] = true;
      }
    } else {
      for (int64_t d = 0; d < x->rank(); ++d) drop[static_cast<size_t>(d)] = x->dim(d) == 1;
    }
    Shape out;
    for (int64_t d = 0; d < x->rank(); ++d) {
      if (!drop[static_cast<size_t>(d)]) out.push_back(x->dim(d));
    }
    return ctx.SetOutput(0, Value(x->Reshaped(out)));
  }

 private:
  bool has_axes_ = false;
  std::vector<int64_t> axes_;
};

Status InferSqueeze(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  const ir::SymShape* in = ctx.input_shape(0);
  std::optional<std::vector<int64_t>> axes;
  if (ctx.node().opset() < 13) {
    if (ctx.attr("axes")) axes = ctx.attr_ints("axes");
  } else if (ctx.has_input(1)) {
    axes = ConstantInts(ctx, 1);
    if (!axes) {
      SetOutputIfKnown(ctx, 0, t, std::nullopt);
      return Status::Ok();
    }
  }
  if (!in) {
    SetOutputIfKnown(ctx, 0, t, std::nullopt);
    return Status::Ok();
  }
  const int64_t rank = static_cast<int64_t>(in->size());
  std::vector<bool> drop(in->size(), false);
  if (axes) {
    for (int64_t a : *axes) {
      if (!NormalizeAxis(&a, rank)) return ctx.Error("axis ", a, " is out of range for rank ", rank);
      const ir::Dim& d = (*in)[static_cast<size_t>(a)];
      if (d.known() && d.value != 1) return ctx.Error("cannot squeeze axis ", a, " of size ", d.value);
      drop[static_cast<size_t>(a)] = true;
    }
  } else {
    for (size_t d = 0; d < in->size(); ++d) {
      if (!(*in)[d].known()) {  // whether it is 1 decides the rank
        SetOutputIfKnown(ctx, 0, t, std::nullopt);
        return Status::Ok();
      }
      drop[d] = (*in)[d].value == 1;
    }
  }
  ir::SymShape out;
  for (size_t d = 0; d < in->size(); ++d) {
    if (!drop[d]) out.push_back((*in)[d]);
  }
  SetOutputIfKnown(ctx, 0, t, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(SqueezeKernel, KernelDef("CPU", "", "Squeeze").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Squeeze", InferSqueeze);

}  // namespace onyx::cpu
