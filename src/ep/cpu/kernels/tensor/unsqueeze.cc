// Unsqueeze: a view with size-1 dims inserted at 'axes' (an attribute before opset 13, an input after).
// Axes index the output and may be negative (opset 11).
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

// The output shape, or an error message.
Result<Shape> UnsqueezeShape(const Shape& in, const std::vector<int64_t>& axes) {
  const int64_t out_rank = static_cast<int64_t>(in.size() + axes.size());
  std::vector<bool> is_new(static_cast<size_t>(out_rank), false);
  for (int64_t a : axes) {
    int64_t axis = a;
    if (!NormalizeAxis(&axis, out_rank))
      return InvalidArgument("axis ", a, " is out of range for output rank ", out_rank);
    if (is_new[static_cast<size_t>(axis)]) return InvalidArgument("axis ", a, " is repeated");
    is_new[static_cast<size_t>(axis)] = true;
  }
  Shape out;
  size_t next = 0;
  for (int64_t i = 0; i < out_rank; ++i) out.push_back(is_new[static_cast<size_t>(i)] ? 1 : in[next++]);
  return out;
}

class UnsqueezeKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if (info.opset() < 13) {
      if (!info.has_attr("axes")) return info.Error("the 'axes' attribute is required before opset 13");
      ONYX_RETURN_IF_ERROR(info.GetInts("axes", &axes_));
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'data' is missing");
    std::vector<int64_t> axes = axes_;
    if (ctx.node().opset() >= 13) {
      const Tensor* a = ctx.input(1);
      if (a == nullptr) return ctx.Error("input 'axes' is required");
      ONYX_ASSIGN_OR_RETURN(axes, ReadInt64s(*a, ctx.node(), "input 'axes'"));
    }
    Result<Shape> out = UnsqueezeShape(x->shape(), axes);
    if (!out.ok()) return ctx.Error("cannot unsqueeze ", x->Describe(), ": ", out.status().message());
    return ctx.SetOutput(0, Value(x->Reshaped(out.take())));
  }

 private:
  std::vector<int64_t> axes_;
};

Status InferUnsqueeze(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  std::optional<std::vector<int64_t>> axes;
  if (ctx.node().opset() < 13)
    axes = ctx.attr_ints("axes");
  else
    axes = ConstantInts(ctx, 1);
  const ir::SymShape* in = ctx.input_shape(0);
  if (!in || !axes) {
    const ir::SymShape* as = ctx.input_shape(1);
    // The rank comes from a dim the file declares: a huge one (fuzzed: 2^27) would allocate gigabytes of dims,
    // so past 1,024 (the C API's rank limit) the shape is left unknown, as an unknown dim leaves it.
    if (in && as && as->size() == 1 && (*as)[0].known() && (*as)[0].value >= 0 && (*as)[0].value <= 1024) {
      SetOutputIfKnown(ctx, 0, t, ir::SymShape(in->size() + static_cast<size_t>((*as)[0].value)));
    } else {
      SetOutputIfKnown(ctx, 0, t, std::nullopt);
    }
    return Status::Ok();
  }
  const int64_t out_rank = static_cast<int64_t>(in->size() + axes->size());
  std::vector<bool> is_new(static_cast<size_t>(out_rank), false);
  for (int64_t a : *axes) {
    if (!NormalizeAxis(&a, out_rank) || is_new[static_cast<size_t>(a)]) return ctx.Error("invalid axes");
    is_new[static_cast<size_t>(a)] = true;
  }
  ir::SymShape out;
  size_t next = 0;
  for (int64_t i = 0; i < out_rank; ++i)
    out.push_back(is_new[static_cast<size_t>(i)] ? ir::Dim::Known(1) : (*in)[next++]);
  SetOutputIfKnown(ctx, 0, t, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(UnsqueezeKernel, KernelDef("CPU", "", "Unsqueeze").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Unsqueeze", InferUnsqueeze);

}  // namespace onyx::cpu
