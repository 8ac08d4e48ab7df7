// com.microsoft MatMulIntegerToFloat and DynamicQuantizeMatMul (onnxruntime contrib operators): a numpy matmul of
// 8-bit operands accumulated exactly in int32 and scaled back to float, plus an optional bias over the last axis:
//   Y = (A - a_zp) x (B - b_zp[j]) * a_scale * b_scale[j] + bias[j]
// DynamicQuantizeMatMul takes A as float and quantizes it first to uint8, per tensor, the way onnxruntime's
// DynamicQuantizeLinear does. B's scale and zero point may be per column; a constant B is packed once, when the
// kernel is made. The product is the 8-bit GEMM's (int8_gemm.h), scale and bias applied in its epilogue. Both share
// this file: they differ only in where A's quantization comes from.
//   MatMulIntegerToFloat: A, B, a_scale, b_scale, a_zero_point, b_zero_point, bias
//   DynamicQuantizeMatMul: A, B, b_scale, b_zero_point, bias
#include <algorithm>
#include <memory>
#include <vector>

#include "ep/cpu/kernels/parallel_cost.h"
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
    packed_b_ = PackConstantB(info, kB);
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
    // A as bytes with one zero point: as given, or quantized here (uint8, onnxruntime's dynamic parameters).
    QParams ap;
    Tensor a_bytes;
    const Tensor* a8 = a;
    if constexpr (kDynamic) {
      ap = DynamicU8Params(a->data<float>(), a->size());
      // Slot 3 of the per-thread scratch: Qgemm itself takes slot 0 only.
      uint8_t* q = ScratchBytes(3, std::max<int64_t>(a->size(), 1));
      const float* af = a->data<float>();
      ThreadPool::For(ctx.thread_pool(), a->size(), kCheapNsPerElement, [&](int64_t begin, int64_t end) {
        QuantizeFloats(af + begin, end - begin, ap.scale, ap.zero_point, /*out_signed=*/false, q + begin);
      });
      a_bytes = Tensor::Wrap(DataType::kUint8, a->shape(), q);
      a8 = &a_bytes;
    } else {
      ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 2, 4, a->type(), "A", &ap));
    }
    std::vector<float> mult = PerColumn(*b_scale, p.n);
    for (float& v : mult) v *= ap.scale;
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, p.out));
    if (y->size() == 0) return Status::Ok();
    float* ys = y->data<float>();
    const float* bs = bias != nullptr ? bias->data<float>() : nullptr;
    const std::vector<int32_t> za{ap.zero_point};
    // The scale and bias are the GEMM's epilogue: the int32 products never leave its cache-sized tiles.
    QgemmBatches(
        p, *a8, *b, za, ZeroPoints8(b_zp), packed_b_.get(),
        [&](int64_t t) {
          QgemmEpilogue ep;
          ep.kind = QgemmEpilogue::kFloat;
          ep.out = ys + t * p.m * p.n;
          ep.out_row = p.n;
          ep.scale = mult.data();
          ep.float_bias = bs;
          return ep;
        },
        ctx.thread_pool());
    return Status::Ok();
  }

 private:
  std::shared_ptr<QgemmPackedB> packed_b_;  // a constant 2-D B, packed once
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
