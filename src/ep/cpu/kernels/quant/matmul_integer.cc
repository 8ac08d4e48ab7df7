// MatMulInteger: int32 = (A - a_zero_point) x (B - b_zero_point) for 8-bit A and B. a_zero_point is per tensor
// or per row of A; b_zero_point per tensor or per column of B. The product is the integer GEMM's (int8_gemm.h); a
// constant 2-D B is packed once, at Init.
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/quant/int_matmul.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class MatMulIntegerKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    packed_b_ = quant::PackConstantB(info, 1);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* a = ctx.input(0);
    const Tensor* b = ctx.input(1);
    const Tensor* za = ctx.input(2);
    const Tensor* zb = ctx.input(3);
    if (a == nullptr || b == nullptr) return ctx.Error("inputs A and B are required");
    for (const Tensor* t : {a, b}) {
      if (t->type() != DataType::kInt8 && t->type() != DataType::kUint8) {
        return ctx.Error("operands must be int8 or uint8, got ", DataTypeName(t->type()));
      }
    }
    if (za && za->type() != a->type()) return ctx.Error("a_zero_point type differs from A's");
    if (zb && zb->type() != b->type()) return ctx.Error("b_zero_point type differs from B's");
    quant::MatMulPlan p;
    ONYX_RETURN_IF_ERROR(quant::PlanMatMul(ctx, a->shape(), b->shape(), &p));
    ONYX_RETURN_IF_ERROR(quant::CheckPerTensorOrCount(ctx, za, p.m, "a_zero_point"));
    ONYX_RETURN_IF_ERROR(quant::CheckPerTensorOrCount(ctx, zb, p.n, "b_zero_point"));
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kInt32, p.out));
    if (y->size() == 0) return Status::Ok();
    int32_t* out = y->data<int32_t>();
    quant::QgemmBatches(
        p, *a, *b, quant::ZeroPoints8(za), quant::ZeroPoints8(zb), packed_b_.get(),
        [&](int64_t t) {
          quant::QgemmEpilogue ep;
          ep.kind = quant::QgemmEpilogue::kInt32;
          ep.out = out + t * p.m * p.n;
          ep.out_row = p.n;
          return ep;
        },
        ctx.thread_pool());
    return Status::Ok();
  }

 private:
  std::shared_ptr<quant::QgemmPackedB> packed_b_;
};

}  // namespace

ONYX_REGISTER_KERNEL(MatMulIntegerKernel, KernelDef("CPU", "", "MatMulInteger")
                                              .Versions(10)
                                              .Types(0, {DataType::kInt8, DataType::kUint8})
                                              .Types(1, {DataType::kInt8, DataType::kUint8}));
ONYX_REGISTER_SHAPE_INFERENCE("", "MatMulInteger", [](ir::InferenceContext& ctx) {
  return quant::InferMatMulOutput(ctx, 0, 1, DataType::kInt32);
});

}  // namespace onyx::cpu
