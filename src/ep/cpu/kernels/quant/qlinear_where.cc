// com.microsoft QLinearWhere (onnxruntime contrib operator): Where(condition, X, Y) over 8-bit X and Y that each
// carry a per-tensor scale and zero point, the chosen value requantized to the output's (Z). Each side goes
// through a 256-entry requantization table, so the selection itself is a lookup per element. Inputs: condition,
// X, x_scale, x_zero_point, Y, y_scale, y_zero_point, z_scale, z_zero_point.
#include "ep/cpu/kernels/math/broadcast.h"
#include "ep/cpu/kernels/quant/qlinear_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::quant {

namespace {

class QLinearWhereKernel : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Tensor* cond = ctx.input(0);
    const Tensor* x = ctx.input(1);
    const Tensor* y = ctx.input(4);
    if (cond == nullptr || x == nullptr || y == nullptr) return ctx.Error("inputs condition, X and Y are required");
    if (cond->type() != DataType::kBool) return ctx.Error("condition must be bool, got ", cond->Describe());
    if (!Is8Bit(x->type()) || y->type() != x->type()) {
      return ctx.Error("X and Y must both be uint8 or both int8, got ", x->Describe(), " and ", y->Describe());
    }
    QParams xp, yp, zp;
    ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 2, 3, x->type(), "X", &xp));
    ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 5, 6, x->type(), "Y", &yp));
    ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 7, 8, x->type(), "Z", &zp));
    const bool s8 = x->type() == DataType::kInt8;
    const Lut lx = s8 ? RequantizeLut<int8_t>(xp, zp) : RequantizeLut<uint8_t>(xp, zp);
    const Lut ly = s8 ? RequantizeLut<int8_t>(yp, zp) : RequantizeLut<uint8_t>(yp, zp);
    ONYX_ASSIGN_OR_RETURN(Shape out_shape, BroadcastAll(ctx, {cond->shape(), x->shape(), y->shape()}));
    ONYX_ASSIGN_OR_RETURN(Tensor * z, ctx.OutputForOverwrite(0, x->type(), out_shape));
    const BroadcastPlan<3> plan = MakePlan<3>(out_shape, {&cond->shape(), &x->shape(), &y->shape()});
    const bool* c = cond->data<bool>();
    const auto* xs = static_cast<const uint8_t*>(x->raw());
    const auto* ys = static_cast<const uint8_t*>(y->raw());
    auto* zs = static_cast<uint8_t*>(z->raw());
    const int64_t sc = plan.strides[0].back(), sx = plan.strides[1].back(), sy = plan.strides[2].back();
    ForEachRow<3>(plan, ctx.thread_pool(), kCheapGrain, [&](const std::array<int64_t, 3>& off, int64_t o, int64_t n) {
      const bool* pc = c + off[0];
      const uint8_t* px = xs + off[1];
      const uint8_t* py = ys + off[2];
      uint8_t* pz = zs + o;
      for (int64_t i = 0; i < n; ++i) pz[i] = pc[i * sc] ? lx[px[i * sx]] : ly[py[i * sy]];
    });
    return Status::Ok();
  }
};

Status InferQLinearWhere(ir::InferenceContext& ctx) {
  const ir::SymShape* c = ctx.input_shape(0);
  const ir::SymShape* x = ctx.input_shape(1);
  const ir::SymShape* y = ctx.input_shape(4);
  if (c == nullptr || x == nullptr || y == nullptr) {
    ctx.SetOutput(0, ctx.input_elem_type(1), std::nullopt);
    return Status::Ok();
  }
  auto cx = ir::BroadcastShapes(*c, *x);
  if (!cx.ok()) return ctx.Error(cx.status().message());
  auto out = ir::BroadcastShapes(cx.take(), *y);
  if (!out.ok()) return ctx.Error(out.status().message());
  ctx.SetOutput(0, ctx.input_elem_type(1), out.take());
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(
    QLinearWhereKernel,
    KernelDef("CPU", kMsDomain, "QLinearWhere").Versions(1).Types(1, {DataType::kUint8, DataType::kInt8}));
ONYX_REGISTER_SHAPE_INFERENCE(kMsDomain, "QLinearWhere", InferQLinearWhere);

}  // namespace onyx::cpu::quant
