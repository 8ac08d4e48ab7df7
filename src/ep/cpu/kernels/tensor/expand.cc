// Expand: broadcasts the input to a shape (numpy rules; the result is the broadcast of both shapes, so it
// may be larger than the requested shape).
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class ExpandKernel final : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* s = ctx.input(1);
    if (x == nullptr || s == nullptr) return ctx.Error("inputs 'input' and 'shape' are required");
    if (s->type() != DataType::kInt64) return ctx.Error("input 'shape' must be int64, got ", s->Describe());
    ONYX_ASSIGN_OR_RETURN(std::vector<int64_t> requested, ReadInt64s(*s, ctx.node(), "input 'shape'"));
    const size_t rank = std::max(requested.size(), x->shape().size());
    Shape out_shape(rank);
    std::vector<int64_t> in_strides = ContiguousStrides(x->shape()), strides(rank, 0);
    for (size_t i = 0; i < rank; ++i) {
      const size_t xi = i + x->shape().size(), ri = i + requested.size();
      const int64_t a = xi >= rank ? x->shape()[xi - rank] : 1;
      const int64_t b = ri >= rank ? requested[ri - rank] : 1;
      if (b < 0) return ctx.Error("the shape ", ShapeToString(requested), " has a negative dim");
      if (a != b && a != 1 && b != 1) {
        return ctx.Error("cannot expand ", x->Describe(), " to ", ShapeToString(requested));
      }
      out_shape[i] = a == 1 ? b : a;
      if (xi >= rank && a != 1) strides[i] = in_strides[xi - rank];
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, x->type(), out_shape));
    if (y->size() == 0) return Status::Ok();
    return DispatchByWidth(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          StridedCopy(ctx.thread_pool(), x->data<T>(), 0, y->data<T>(), out_shape, strides);
          return Status::Ok();
        },
        ctx.node());
  }
};

Status InferExpand(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  const ir::SymShape* in = ctx.input_shape(0);
  // The shape may be symbolic ([batch, seq, 768] from Shape(x)); BroadcastShapes keeps only what is certain.
  std::optional<ir::SymShape> requested = ctx.input_shape_value(1);
  if (!in || !requested) {
    const ir::SymShape* ss = ctx.input_shape(1);
    // The rank comes from a dim the file declares: a huge one (fuzzed: 2^27) would allocate gigabytes of dims,
    // so past 1,024 (the C API's rank limit) the shape is left unknown, as an unknown dim leaves it.
    if (in && ss && ss->size() == 1 && (*ss)[0].known() && (*ss)[0].value >= 0 && (*ss)[0].value <= 1024) {
      SetOutputIfKnown(ctx, 0, t, ir::SymShape(std::max(in->size(), static_cast<size_t>((*ss)[0].value))));
    } else {
      SetOutputIfKnown(ctx, 0, t, std::nullopt);
    }
    return Status::Ok();
  }
  Result<ir::SymShape> out = ir::BroadcastShapes(*in, *requested);
  if (!out.ok()) return ctx.Error(out.status().message());
  SetOutputIfKnown(ctx, 0, t, out.take());
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(ExpandKernel, KernelDef("CPU", "", "Expand").Versions(8));
ONYX_REGISTER_SHAPE_INFERENCE("", "Expand", InferExpand);

}  // namespace onyx::cpu
