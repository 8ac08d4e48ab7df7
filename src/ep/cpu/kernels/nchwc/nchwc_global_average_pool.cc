// com.onyx:NchwcGlobalAveragePool (written by the NchwcLayout pass, see docs/FUSED_OPERATORS.md): the mean of
// every channel over the spatial axes of a blocked tensor [N, C/8, spatial..., 8] -> [N, C/8, 1..., 8].
#include "common/thread_pool.h"
#include "ep/cpu/kernels/nchwc/nchwc_util.h"
#include "ep/cpu/ukernels/float_nchwc_pool__avx2.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::nchwc {
namespace {

class NchwcGlobalAveragePoolKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return CheckAvx2(info); }
  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) return ctx.Error("input X is required");
    if (x->type() != DataType::kFloat || x->rank() < 4 || x->dim(x->rank() - 1) != kBlock) {
      return ctx.Error("X ", x->Describe(), " must be a blocked float tensor [N, Cb, spatial..., 8]");
    }
    Shape out(x->shape().size(), 1);
    out[0] = x->dim(0);
    out[1] = x->dim(1);
    out.back() = kBlock;
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, out));
    int64_t hw = 1;
    for (int64_t i = 2; i + 1 < x->rank(); ++i) hw *= x->dim(i);
    const float* xd = x->data<float>();
    float* yd = y->data<float>();
    ThreadPool::For(
        ctx.thread_pool(), x->dim(0) * x->dim(1),
        [&](int64_t begin, int64_t end) {
          for (int64_t p = begin; p < end; ++p) GlobalAveragePlane_Avx2(xd + p * hw * kBlock, hw, yd + p * kBlock);
        },
        MinBlockOfTasks(static_cast<double>(hw * kBlock * 2) * static_cast<double>(x->dim(0) * x->dim(1)),
                        x->dim(0) * x->dim(1)));
    return Status::Ok();
  }
};

Status InferNchwcGlobalPool(ir::InferenceContext& ctx) {
  const ir::SymShape* x = ctx.input_shape(0);
  if (ctx.input_elem_type(0) == DataType::kUndefined || !x || x->size() < 4) return Status::Ok();
  ir::SymShape out(x->size(), ir::Dim::Known(1));
  out[0] = (*x)[0];
  out[1] = (*x)[1];
  out.back() = ir::Dim::Known(kBlock);
  ctx.SetOutput(0, ctx.input_elem_type(0), out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(NchwcGlobalAveragePoolKernel,
                     KernelDef("CPU", "com.onyx", "NchwcGlobalAveragePool").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "NchwcGlobalAveragePool", InferNchwcGlobalPool);

}  // namespace onyx::cpu::nchwc
