// Size: the input's element count as an int64 scalar.
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class SizeKernel final : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'data' must be a tensor");
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kInt64, {}));
    y->data<int64_t>()[0] = x->size();
    return Status::Ok();
  }
};

Status InferSize(ir::InferenceContext& ctx) {
  ctx.SetOutput(0, DataType::kInt64, ir::SymShape{});
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(SizeKernel, KernelDef("CPU", "", "Size").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Size", InferSize);

}  // namespace onyx::cpu
