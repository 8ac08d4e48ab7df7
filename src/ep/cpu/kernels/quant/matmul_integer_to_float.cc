// com.microsoft MatMulIntegerToFloat and DynamicQuantizeMatMul (onnxruntime contrib operators): a numpy matmul of
// 8-bit operands accumulated exactly in int32 and scaled back to float, plus an optional bias over the last axis:
//   Y = (A - a_zp) x (B - b_zp[j]) * a_scale * b_scale[j] + bias[j]
// DynamicQuantizeMatMul takes A as float and quantizes it first to uint8, per tensor, the way onnxruntime's
// DynamicQuantizeLinear does. B's scale and zero point may be per column; a constant B is centered once, when the
// kernel is made. Both share this file: they differ only in where A's quantization comes from.
//   MatMulIntegerToFloat: A, B, a_scale, b_scale, a_zero_point, b_zero_point, bias
//   DynamicQuantizeMatMul: A, B, b_scale, b_zero_point, bias
#include <vector>

#include "ep/cpu/kernels/quant/quant_gemm.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::quant {

namespace {

template <bool kDynamic>
class IntegerMatMulToFloatKernel : public OpKernel {
 public:
  static constexpr size_t kB = 1;
  static constexpr size_t kBScale = kDynamic ? 2 : 3;
  static constexpr size_t kBZp = kDynamic ? 3 : 5;
  static constexpr size_t kBias = kDynamic ? 4 : 6;

  Status Init(const KernelInfo& info) override {
    const Tensor* b = info.constant_input(kB);
    const Tensor* zp = info.constant_input(kBZp);
    if (b != nullptr && b->rank() == 2 && Is8Bit(b->type()) && (!info.has_input(kBZp) || zp != nullptr) &&
        (zp == nullptr || (zp->type() == b->type() && (zp->size() == 1 || zp->size() == b->dim(b->rank() - 1))))) {
      b_ = PrepareB(Center8(*b, zp, 1, b->dim(1)), b->dim(0), b->dim(1));
      b_prepared_ = true;
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* a = ctx.input(0);
    const Tensor* b = ctx.input(kB);
    const Tensor* b_scale = ctx.input(kBScale);
    const Tensor* b_zp = ctx.input(kBZp);
    const Tensor* bias = ctx.input(kBias);
    if (a == nullptr || b == nullptr || b_scale == nullptr) return ctx.Error("inputs A, B and b_scale are required");
    if (kDynamic ? a->type() != DataType::kFloat : !Is8Bit(a->type())) {
      return ctx.Error("A must be ", kDynamic ? "float" : "uint8 or int8", ", got ", a->Describe());
    }
    if (!Is8Bit(b->type())) return ctx.Error("B must be uint8 or int8, got ", b->Describe());
    MatMulPlan p;
    ONYX_RETURN_IF_ERROR(PlanMatMul(ctx, a->shape(), b->shape(), &p));
    if (b_scale->type() != DataType::kFloat || (b_scale->size() != 1 && b_scale->size() != p.n)) {
      return ctx.Error("b_scale must be float with 1 or ", p.n, " elements, got ", b_scale->Describe());
    }
    if (b_zp != nullptr && (b_zp->type() != b->type() || (b_zp->size() != 1 && b_zp->size() != p.n))) {
      return ctx.Error("b_zero_point must be ", DataTypeName(b->type()), " with 1 or ", p.n, " elements, got ",
                       b_zp->Describe());
    }
    if (bias != nullptr && (bias->type() != DataType::kFloat || bias->size() != p.n)) {
      return ctx.Error("bias must be float with ", p.n, " elements, got ", bias->Describe());
    }
    std::vector<int32_t> ac(static_cast<size_t>(a->size()));
    QParams ap;
    if constexpr (kDynamic) {
      ap = DynamicU8Params(a->data<float>(), a->size());
      QuantizeCentered(a->data<float>(), a->size(), ap, ac.data());
    } else {
      ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 2, 4, a->type(), "A", &ap));
      // Typed loops with the size read once: Load8's type switch and Tensor::size per element cost more than the
      // product itself on transformer-sized operands.
      const int64_t na = a->size();
      const int32_t za = ap.zero_point;
      if (a->type() == DataType::kInt8) {
        const int8_t* as = a->data<int8_t>();
        for (int64_t i = 0; i < na; ++i) ac[static_cast<size_t>(i)] = as[i] - za;
      } else {
        const uint8_t* as = a->data<uint8_t>();
        for (int64_t i = 0; i < na; ++i) ac[static_cast<size_t>(i)] = as[i] - za;
      }
    }
    const int64_t total = static_cast<int64_t>(p.a_offset.size()) * p.m * p.n;
    std::vector<int32_t> acc(static_cast<size_t>(total));
    if (b_prepared_ && b->rank() == 2) {
      // One B for every batch of A: A's batches are consecutive rows of one product.
      PreparedProduct(ac.data(), total / std::max<int64_t>(p.n, 1), b_, acc.data(), ctx.thread_pool());
    } else {
      const std::vector<int32_t> bc = Center8(*b, b_zp, 1, p.n);
      CenteredProduct(p, ac.data(), bc.data(), acc.data(), ctx.thread_pool());
    }
    std::vector<float> mult = PerColumn(*b_scale, p.n);
    for (float& v : mult) v *= ap.scale;
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, p.out));
    float* ys = y->data<float>();
    const float* bs = bias != nullptr ? bias->data<float>() : nullptr;
    for (int64_t r = 0; r < total / std::max<int64_t>(p.n, 1); ++r) {
      const int32_t* in = acc.data() + r * p.n;
      float* out = ys + r * p.n;
      for (int64_t j = 0; j < p.n; ++j) out[j] = static_cast<float>(in[j]) * mult[static_cast<size_t>(j)];
      if (bs != nullptr) {
        for (int64_t j = 0; j < p.n; ++j) out[j] += bs[j];
      }
    }
    return Status::Ok();
  }

 private:
  bool b_prepared_ = false;
  PreparedB b_;  // a 2-D B minus its zero point, when both are constants
};

using MatMulIntegerToFloatKernel = IntegerMatMulToFloatKernel<false>;
using DynamicQuantizeMatMulKernel = IntegerMatMulToFloatKernel<true>;

Status InferIntegerMatMulToFloat(ir::InferenceContext& ctx) { return InferMatMulOutput(ctx, 0, 1, DataType::kFloat); }

}  // namespace

ONYX_REGISTER_KERNEL(
    MatMulIntegerToFloatKernel,
    KernelDef("CPU", kMsDomain, "MatMulIntegerToFloat").Versions(1).Types(0, {DataType::kUint8, DataType::kInt8}));
ONYX_REGISTER_SHAPE_INFERENCE(kMsDomain, "MatMulIntegerToFloat", InferIntegerMatMulToFloat);
ONYX_REGISTER_KERNEL(DynamicQuantizeMatMulKernel,
                     KernelDef("CPU", kMsDomain, "DynamicQuantizeMatMul").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE(kMsDomain, "DynamicQuantizeMatMul", InferIntegerMatMulToFloat);

}  // namespace onyx::cpu::quant
