// com.microsoft QLinearAdd and QLinearMul (onnxruntime contrib operators): C = quantize(dequantize(A) op
// dequantize(B)) with numpy broadcasting and per-tensor scales and zero points. The scale ratios are folded
// once per call, so each element costs a few float operations and one rounding, as in onnxruntime:
//   Add: c = round((a - za) * sa/sc + (b - zb) * sb/sc) + zc
//   Mul: c = round((a - za) * (b - zb) * sa*sb/sc) + zc
// Both share this file because they differ only in that one line.
#include "ep/cpu/kernels/math/broadcast.h"
#include "ep/cpu/kernels/quant/qlinear_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::quant {

namespace {

// Inputs: A, A_scale, A_zero_point (optional), B, B_scale, B_zero_point (optional), C_scale, C_zero_point
// (optional).
template <bool kMul>
class QLinearBinaryKernel : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Tensor* a = ctx.input(0);
    const Tensor* b = ctx.input(3);
    if (a == nullptr || b == nullptr) return ctx.Error("inputs A and B are required");
    if (!Is8Bit(a->type()) || b->type() != a->type()) {
      return ctx.Error("A and B must both be uint8 or both int8, got ", a->Describe(), " and ", b->Describe());
    }
    QParams pa, pb, pc;
    ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 1, 2, a->type(), "A", &pa));
    ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 4, 5, a->type(), "B", &pb));
    ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 6, 7, a->type(), "C", &pc));
    ONYX_ASSIGN_OR_RETURN(Shape out_shape, BroadcastAll(ctx, {a->shape(), b->shape()}));
    ONYX_ASSIGN_OR_RETURN(Tensor * c, ctx.OutputForOverwrite(0, a->type(), out_shape));
    const BroadcastPlan<2> plan = MakePlan<2>(out_shape, {&a->shape(), &b->shape()});
    auto run = [&](auto tag) {
      using T = decltype(tag);
      const float za = static_cast<float>(pa.zero_point), zb = static_cast<float>(pb.zero_point);
      const int32_t zc = pc.zero_point;
      if constexpr (kMul) {
        const float m = pa.scale * pb.scale / pc.scale;
        BinaryLoop(plan, a->data<T>(), b->data<T>(), c->data<T>(), ctx.thread_pool(), kCheapGrain, [=](T x, T y) {
          return RoundToQ<T>((static_cast<float>(x) - za) * (static_cast<float>(y) - zb) * m, zc);
        });
      } else {
        const float ra = pa.scale / pc.scale, rb = pb.scale / pc.scale;
        BinaryLoop(plan, a->data<T>(), b->data<T>(), c->data<T>(), ctx.thread_pool(), kCheapGrain, [=](T x, T y) {
          return RoundToQ<T>((static_cast<float>(x) - za) * ra + (static_cast<float>(y) - zb) * rb, zc);
        });
      }
    };
    if (a->type() == DataType::kInt8) {
      run(int8_t{});
    } else {
      run(uint8_t{});
    }
    return Status::Ok();
  }
};

Status InferQLinearBinary(ir::InferenceContext& ctx) {
  const ir::SymShape* a = ctx.input_shape(0);
  const ir::SymShape* b = ctx.input_shape(3);
  if (a == nullptr || b == nullptr) {
    ctx.SetOutput(0, ctx.input_elem_type(0), std::nullopt);
    return Status::Ok();
  }
  auto out = ir::BroadcastShapes(*a, *b);
  if (!out.ok()) return ctx.Error(out.status().message());
  ctx.SetOutput(0, ctx.input_elem_type(0), out.take());
  return Status::Ok();
}

using QLinearAddKernel = QLinearBinaryKernel<false>;
using QLinearMulKernel = QLinearBinaryKernel<true>;

}  // namespace

ONYX_REGISTER_KERNEL(
    QLinearAddKernel,
    KernelDef("CPU", kMsDomain, "QLinearAdd").Versions(1).Types(0, {DataType::kUint8, DataType::kInt8}));
ONYX_REGISTER_SHAPE_INFERENCE(kMsDomain, "QLinearAdd", InferQLinearBinary);
ONYX_REGISTER_KERNEL(
    QLinearMulKernel,
    KernelDef("CPU", kMsDomain, "QLinearMul").Versions(1).Types(0, {DataType::kUint8, DataType::kInt8}));
ONYX_REGISTER_SHAPE_INFERENCE(kMsDomain, "QLinearMul", InferQLinearBinary);

}  // namespace onyx::cpu::quant
