// Where: picks x where the condition holds and y elsewhere, broadcasting all three inputs (numpy rules).
#include <string>

#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class WhereKernel : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Tensor* cond = ctx.input(0);
    if (cond == nullptr) return ctx.Error("input 0 (condition) is missing or not a tensor");
    if (cond->type() != DataType::kBool) return ctx.Error("condition must be bool, got ", DataTypeName(cond->type()));
    ONYX_ASSIGN_OR_RETURN(DataType type, CommonInputType(ctx, 1, 3));
    const Tensor& x = *ctx.input(1);
    const Tensor& y = *ctx.input(2);
    ONYX_ASSIGN_OR_RETURN(Shape out_shape, BroadcastAll(ctx, {cond->shape(), x.shape(), y.shape()}));
    ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.OutputForOverwrite(0, type, out_shape));
    BroadcastPlan<3> plan = MakePlan<3>(out_shape, {&cond->shape(), &x.shape(), &y.shape()});
    return Dispatch<ONYX_ALL_NUMERIC_TYPES, bool, std::string>(
        type,
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const bool* c = cond->data<bool>();
          const T* px = x.data<T>();
          const T* py = y.data<T>();
          T* po = out->data<T>();
          const int64_t sc = plan.strides[0].back(), sx = plan.strides[1].back(), sy = plan.strides[2].back();
          ForEachRow<3>(plan, ctx.thread_pool(), kCheapGrain,
                        [&](const std::array<int64_t, 3>& off, int64_t o, int64_t n) {
                          const bool* cc = c + off[0];
                          const T* xx = px + off[1];
                          const T* yy = py + off[2];
                          for (int64_t i = 0; i < n; ++i) po[o + i] = cc[i * sc] ? xx[i * sx] : yy[i * sy];
                        });
          return Status::Ok();
        },
        ctx.node());
  }
};

}  // namespace

ONYX_REGISTER_KERNEL(WhereKernel, KernelDef("CPU", "", "Where").Versions(9));
ONYX_REGISTER_SHAPE_INFERENCE("", "Where", [](ir::InferenceContext& ctx) -> Status {
  DataType t = ctx.input_elem_type(1);
  std::optional<ir::SymShape> shape;
  const ir::SymShape* a = ctx.input_shape(0);
  const ir::SymShape* b = ctx.input_shape(1);
  const ir::SymShape* c = ctx.input_shape(2);
  if (a && b && c) {
    auto ab = ir::BroadcastShapes(*a, *b);
    if (!ab.ok()) return ctx.Error(ab.status().message());
    auto abc = ir::BroadcastShapes(ab.value(), *c);
    if (!abc.ok()) return ctx.Error(abc.status().message());
    shape = abc.take();
  }
  if (t != DataType::kUndefined) ctx.SetOutput(0, t, shape);
  return Status::Ok();
});

}  // namespace onyx::cpu
