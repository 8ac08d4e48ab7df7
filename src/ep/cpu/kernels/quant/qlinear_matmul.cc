// QLinearMatMul: y = quantize((a - a_zp) x (b - b_zp) * a_scale * b_scale / y_scale + y_zp). 8-bit integer
// operands accumulate exactly in int32; float8 operands (opset 21) are decoded and accumulate in float.
// Scales and zero points are per tensor, per row of a, per column of b (and of y). The integer product runs on
// the integer GEMM (int8_gemm.h) with the requantization fused into it when a_scale and y_zero_point are per
// tensor; the multiplier a_scale * b_scale / y_scale is computed in float, as onnxruntime does. A constant 2-D b
// is packed once, at Init.
#include <cmath>

#include "ep/cpu/kernels/quant/int_matmul.h"
#include "ep/cpu/kernels/quant/quant_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

bool Is8BitInt(DataType t) { return t == DataType::kInt8 || t == DataType::kUint8; }
bool IsFloat8(DataType t) {
  return t == DataType::kFloat8E4M3FN || t == DataType::kFloat8E4M3FNUZ || t == DataType::kFloat8E5M2 ||
         t == DataType::kFloat8E5M2FNUZ;
}

// Decodes and centers a float8 (or 8-bit integer) operand into float, zero point indexed as in Center.
Result<std::vector<float>> CenterFloat(const KernelContext& ctx, const Tensor& x, const Tensor* zp, int64_t div,
                                       int64_t per) {
  std::vector<float> out(static_cast<size_t>(x.size()));
  Status st = quant::DispatchQuantized(x.type(), ctx.node(), [&](auto codec) -> Status {
    using C = decltype(codec);
    for (int64_t i = 0; i < x.size(); ++i) {
      float zv = 0.0f;
      if (zp != nullptr) zv = static_cast<float>(C::Load(zp->raw(), zp->size() == 1 ? 0 : (i / div) % per));
      out[static_cast<size_t>(i)] = static_cast<float>(C::Load(x.raw(), i)) - zv;
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

class QLinearMatMulKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    packed_b_ = quant::PackConstantB(info, 3);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* a = ctx.input(0);
    const Tensor* a_scale = ctx.input(1);
    const Tensor* a_zp = ctx.input(2);
    const Tensor* b = ctx.input(3);
    const Tensor* b_scale = ctx.input(4);
    const Tensor* b_zp = ctx.input(5);
    const Tensor* y_scale = ctx.input(6);
    const Tensor* y_zp = ctx.input(7);
    if (!a || !a_scale || !b || !b_scale || !y_scale)
      return ctx.Error("inputs a, a_scale, b, b_scale, y_scale are required");
    for (const Tensor* t : {a, b}) {
      if (!Is8BitInt(t->type()) && !IsFloat8(t->type())) {
        return ctx.Error("operand type ", DataTypeName(t->type()), " is not supported");
      }
    }
    if (a_zp && a_zp->type() != a->type()) return ctx.Error("a_zero_point type differs from a's");
    if (b_zp && b_zp->type() != b->type()) return ctx.Error("b_zero_point type differs from b's");
    for (const Tensor* s : {a_scale, b_scale, y_scale}) {
      if (!quant::IsScaleType(s->type())) return ctx.Error("scale type ", DataTypeName(s->type()), " is not supported");
    }
    const DataType out_type = y_zp ? y_zp->type() : DataType::kUint8;
    if (!Is8BitInt(out_type) && !IsFloat8(out_type)) {
      return ctx.Error("output type ", DataTypeName(out_type), " is not supported");
    }
    quant::MatMulPlan p;
    ONYX_RETURN_IF_ERROR(quant::PlanMatMul(ctx, a->shape(), b->shape(), &p));
    ONYX_RETURN_IF_ERROR(quant::CheckPerTensorOrCount(ctx, a_scale, p.m, "a_scale"));
    ONYX_RETURN_IF_ERROR(quant::CheckPerTensorOrCount(ctx, a_zp, p.m, "a_zero_point"));
    ONYX_RETURN_IF_ERROR(quant::CheckPerTensorOrCount(ctx, b_scale, p.n, "b_scale"));
    ONYX_RETURN_IF_ERROR(quant::CheckPerTensorOrCount(ctx, b_zp, p.n, "b_zero_point"));
    ONYX_RETURN_IF_ERROR(quant::CheckPerTensorOrCount(ctx, y_scale, p.n, "y_scale"));
    ONYX_RETURN_IF_ERROR(quant::CheckPerTensorOrCount(ctx, y_zp, p.n, "y_zero_point"));

    const int64_t total = static_cast<int64_t>(p.a_offset.size()) * p.m * p.n;
    const std::vector<float> sa = quant::LoadScales(*a_scale), sb = quant::LoadScales(*b_scale),
                             sy = quant::LoadScales(*y_scale);
    auto pick = [](const std::vector<float>& v, int64_t i) { return v.size() == 1 ? v[0] : v[static_cast<size_t>(i)]; };
    const bool ints = Is8BitInt(a->type()) && Is8BitInt(b->type());
    if (ints && Is8BitInt(out_type) && (sa.size() == 1 || p.m == 1) && (y_zp == nullptr || y_zp->size() == 1)) {
      ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, out_type, p.out));
      if (total == 0) return Status::Ok();
      std::vector<float> scale(static_cast<size_t>(p.n));
      for (int64_t j = 0; j < p.n; ++j) scale[static_cast<size_t>(j)] = sa[0] * pick(sb, j) / pick(sy, j);
      const std::vector<int32_t> yz = quant::ZeroPoints8(y_zp);
      auto* out = static_cast<uint8_t*>(y->raw());
      quant::QgemmBatches(
          p, *a, *b, quant::ZeroPoints8(a_zp), quant::ZeroPoints8(b_zp), packed_b_.get(),
          [&](int64_t t) {
            quant::QgemmEpilogue ep;
            ep.kind = out_type == DataType::kInt8 ? quant::QgemmEpilogue::kInt8 : quant::QgemmEpilogue::kUint8;
            ep.out = out + t * p.m * p.n;
            ep.out_row = p.n;
            ep.scale = scale.data();
            ep.zero_point = yz.empty() ? 0 : yz[0];
            return ep;
          },
          ctx.thread_pool());
      return Status::Ok();
    }
    std::vector<double> acc(static_cast<size_t>(total));
    if (ints) {
      std::vector<int32_t> prod(static_cast<size_t>(total));
      quant::QgemmBatches(
          p, *a, *b, quant::ZeroPoints8(a_zp), quant::ZeroPoints8(b_zp), packed_b_.get(),
          [&](int64_t t) {
            quant::QgemmEpilogue ep;
            ep.kind = quant::QgemmEpilogue::kInt32;
            ep.out = prod.data() + t * p.m * p.n;
            ep.out_row = p.n;
            return ep;
          },
          ctx.thread_pool());
      std::copy(prod.begin(), prod.end(), acc.begin());
    } else {
      ONYX_ASSIGN_OR_RETURN(std::vector<float> ac, CenterFloat(ctx, *a, a_zp, p.k, p.m));
      ONYX_ASSIGN_OR_RETURN(std::vector<float> bc, CenterFloat(ctx, *b, b_zp, 1, p.n));
      std::vector<float> prod(static_cast<size_t>(total));
      quant::BatchedProduct<float>(p, ac.data(), bc.data(), prod.data(), ctx.thread_pool());
      std::copy(prod.begin(), prod.end(), acc.begin());
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, out_type, p.out));
    return quant::DispatchQuantized(out_type, ctx.node(), [&](auto codec) -> Status {
      using C = decltype(codec);
      void* out = y->raw();
      for (int64_t idx = 0; idx < total; ++idx) {
        const int64_t i = (idx / p.n) % p.m, j = idx % p.n;
        const float mult = pick(sa, i) * pick(sb, j) / pick(sy, j);
        const auto q = static_cast<float>(acc[static_cast<size_t>(idx)]) * mult;
        const float zv = y_zp ? static_cast<float>(C::Load(y_zp->raw(), y_zp->size() == 1 ? 0 : j)) : 0.0f;
        if constexpr (C::kIsFloat) {
          C::Store(out, idx, q + zv, true);
        } else {
          C::Store(out, idx, quant::RoundClamp(std::nearbyint(q) + zv, C::kMin, C::kMax));
        }
      }
      return Status::Ok();
    });
  }

 private:
  std::shared_ptr<quant::QgemmPackedB> packed_b_;
};

}  // namespace

ONYX_REGISTER_KERNEL(QLinearMatMulKernel, KernelDef("CPU", "", "QLinearMatMul").Versions(10));
ONYX_REGISTER_SHAPE_INFERENCE("", "QLinearMatMul", [](ir::InferenceContext& ctx) {
  const DataType t =
      ctx.has_input(7) && ctx.input_elem_type(7) != DataType::kUndefined ? ctx.input_elem_type(7) : DataType::kUint8;
  return quant::InferMatMulOutput(ctx, 0, 3, t);
});

}  // namespace onyx::cpu
