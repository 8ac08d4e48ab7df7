// Tile: repeats the input along each axis. Opset 1 repeats one axis (inputs tiles and axis); opset 6+ takes
// one repeat count per axis. Implemented as a strided copy over [r0, d0, r1, d1, ...] with zero strides
// on the repeat dims.
#include "common/checked_math.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class TileKernel final : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* r = ctx.input(1);
    if (x == nullptr || r == nullptr) return ctx.Error("inputs 'input' and 'repeats' are required");
    std::vector<int64_t> repeats;
    if (ctx.node().opset() < 6) {
      const Tensor* a = ctx.input(2);
      if (a == nullptr) return ctx.Error("input 'axis' is required before opset 6");
      ONYX_ASSIGN_OR_RETURN(std::vector<int64_t> tiles, ReadInt64s(*r, ctx.node(), "input 'tiles'"));
      ONYX_ASSIGN_OR_RETURN(std::vector<int64_t> axis, ReadInt64s(*a, ctx.node(), "input 'axis'"));
      if (tiles.size() != 1 || axis.size() != 1) return ctx.Error("'tiles' and 'axis' must be scalars");
      int64_t ax = axis[0];
      if (!NormalizeAxis(&ax, x->rank())) return ctx.Error("axis ", axis[0], " is out of range for ", x->Describe());
      repeats.assign(x->shape().size(), 1);
      repeats[static_cast<size_t>(ax)] = tiles[0];
    } else {
      if (r->type() != DataType::kInt64) return ctx.Error("input 'repeats' must be int64, got ", r->Describe());
      ONYX_ASSIGN_OR_RETURN(repeats, ReadInt64s(*r, ctx.node(), "input 'repeats'"));
    }
    if (repeats.size() != x->shape().size()) {
      return ctx.Error("'repeats' has ", repeats.size(), " values for ", x->Describe());
    }
    Shape out_shape, view_shape;
    std::vector<int64_t> in_strides = ContiguousStrides(x->shape()), strides;
    for (size_t i = 0; i < repeats.size(); ++i) {
      if (repeats[i] < 0) return ctx.Error("negative repeat ", repeats[i], " on axis ", i);
      int64_t dim = 0;
      if (!CheckedMul(x->shape()[i], repeats[i], &dim))
        return ctx.Error("repeats ", ShapeToString(repeats), " overflow");
      out_shape.push_back(dim);
      view_shape.insert(view_shape.end(), {repeats[i], x->shape()[i]});
      strides.insert(strides.end(), {0, in_strides[i]});
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, x->type(), out_shape));
    if (y->size() == 0) return Status::Ok();
    return DispatchByWidth(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          StridedCopy(ctx.thread_pool(), x->data<T>(), 0, y->data<T>(), view_shape, strides);
          return Status::Ok();
        },
        ctx.node());
  }
};

Status InferTile(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  const ir::SymShape* in = ctx.input_shape(0);
  if (!in) {
    SetOutputIfKnown(ctx, 0, t, std::nullopt);
    return Status::Ok();
  }
  // Repeats may be symbolic; a dim times a repeat stays a (named) product when both are known or symbols.
  std::optional<ir::ShapeValue> repeats = ctx.node().opset() >= 6 ? ctx.input_value(1) : std::nullopt;
  if (!repeats || repeats->scalar || repeats->elems.size() != in->size()) {
    SetOutputIfKnown(ctx, 0, t, ir::SymShape(in->size()));
    return Status::Ok();
  }
  ir::SymShape out = *in;
  for (size_t i = 0; i < out.size(); ++i) {
    const ir::SymInt& r = repeats->elems[i];
    if (r.known() && r.value < 0) return ctx.Error("repeats[", i, "] = ", r.value, " is negative");
    out[i] = ir::SymMul(ir::SymInt::FromDim(out[i]), r).ToDim();
  }
  SetOutputIfKnown(ctx, 0, t, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(TileKernel, KernelDef("CPU", "", "Tile").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Tile", InferTile);

}  // namespace onyx::cpu
