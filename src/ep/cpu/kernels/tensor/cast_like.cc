// CastLike: Cast to the element type of the second input.
#include "ep/cpu/kernels/tensor/cast_convert.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

Status ReadCastOptions(const KernelInfo& info, CastOptions* options);  // cast.cc

namespace {

class CastLikeKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return ReadCastOptions(info, &options_); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* like = ctx.input(1);
    if (x == nullptr || like == nullptr) return ctx.Error("inputs 'input' and 'target_type' are required");
    if (x->type() == like->type()) return ctx.SetOutput(0, Value(*x));
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, like->type(), x->shape()));
    return CastTensor(*x, y, options_, ctx.thread_pool(), ctx.node());
  }

 private:
  CastOptions options_;
};

Status InferCastLike(ir::InferenceContext& ctx) {
  const ir::SymShape* in = ctx.input_shape(0);
  SetOutputIfKnown(ctx, 0, ctx.input_elem_type(1), in ? std::optional<ir::SymShape>(*in) : std::nullopt);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(CastLikeKernel, KernelDef("CPU", "", "CastLike").Versions(15));
ONYX_REGISTER_SHAPE_INFERENCE("", "CastLike", InferCastLike);

}  // namespace onyx::cpu
