// ConvInteger: int32 convolution of (x - x_zero_point) with (w - w_zero_point); x_zero_point is per tensor,
// w_zero_point per tensor or per output channel.
#include "ep/cpu/kernels/quant/int_conv.h"
#include "ep/cpu/kernels/quant/int_matmul.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class ConvIntegerKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(attrs_.Init(info, /*is_pool=*/false));
    ONYX_RETURN_IF_ERROR(info.GetInt("group", &group_, int64_t{1}));
    if (group_ <= 0) return info.Error("group must be positive, got ", group_);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* w = ctx.input(1);
    const Tensor* xz = ctx.input(2);
    const Tensor* wz = ctx.input(3);
    if (!x || !w) return ctx.Error("inputs x and w are required");
    for (const Tensor* t : {x, w}) {
      if (t->type() != DataType::kInt8 && t->type() != DataType::kUint8) {
        return ctx.Error("x and w must be int8 or uint8, got ", DataTypeName(t->type()));
      }
    }
    if (xz && (xz->type() != x->type() || xz->size() != 1)) {
      return ctx.Error("x_zero_point must be one value of x's type, got ", xz->Describe());
    }
    if (wz && wz->type() != w->type()) return ctx.Error("w_zero_point type differs from w's");
    quant::IntConvDims d;
    ONYX_RETURN_IF_ERROR(quant::PlanIntConv(ctx, attrs_, group_, *x, *w, &d));
    ONYX_RETURN_IF_ERROR(quant::CheckPerTensorOrCount(ctx, wz, d.out_channels, "w_zero_point"));
    const int64_t per_channel = d.out_channels == 0 ? 1 : w->size() / d.out_channels;
    const std::vector<int32_t> xc = quant::Center8(*x, xz, 1, 1);
    const std::vector<int32_t> wc = quant::Center8(*w, wz, std::max<int64_t>(1, per_channel), d.out_channels);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kInt32, d.out_shape));
    if (y->size() == 0) return Status::Ok();
    quant::DirectIntConv(d, xc.data(), wc.data(), y->data<int32_t>(), ctx.thread_pool());
    return Status::Ok();
  }

 private:
  ConvPoolAttrs attrs_;
  int64_t group_ = 1;
};

}  // namespace

ONYX_REGISTER_KERNEL(ConvIntegerKernel, KernelDef("CPU", "", "ConvInteger")
                                            .Versions(10)
                                            .Types(0, {DataType::kInt8, DataType::kUint8})
                                            .Types(1, {DataType::kInt8, DataType::kUint8}));
ONYX_REGISTER_SHAPE_INFERENCE("", "ConvInteger", [](ir::InferenceContext& ctx) {
  quant::InferIntConv(ctx, 1, DataType::kInt32);
  return Status::Ok();
});

}  // namespace onyx::cpu
