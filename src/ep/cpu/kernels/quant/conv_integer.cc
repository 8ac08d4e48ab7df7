// ConvInteger: int32 convolution of (x - x_zero_point) with (w - w_zero_point); x_zero_point is per tensor,
// w_zero_point per tensor or per output channel. The work is the integer GEMM's (qconv.h); constant weights are
// packed once, at Init.
#include <memory>

#include "ep/cpu/kernels/quant/int_conv.h"
#include "ep/cpu/kernels/quant/int_matmul.h"
#include "ep/cpu/kernels/quant/qconv.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class ConvIntegerKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(attrs_.Init(info, /*is_pool=*/false));
    ONYX_RETURN_IF_ERROR(info.GetInt("group", &group_, int64_t{1}));
    if (group_ <= 0) return info.Error("group must be positive, got ", group_);
    const Tensor* w =
        info.node().input(1) && !info.node().input(1)->is_graph_input() ? info.constant_input(1) : nullptr;
    if (w && (w->type() == DataType::kInt8 || w->type() == DataType::kUint8) && w->rank() >= 3 &&
        w->dim(0) % group_ == 0) {
      packed_ = std::make_shared<quant::QConvWeights>();
      packed_->Pack(*w, group_);
    }
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
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kInt32, d.out_shape));
    if (y->size() == 0) return Status::Ok();
    quant::QConvWeights local;
    const quant::QConvWeights* packed = packed_.get();
    if (packed == nullptr || !packed->Matches(*w, group_)) {
      local.Pack(*w, group_);
      packed = &local;
    }
    std::vector<int32_t> w_zero;
    if (wz) {
      for (int64_t i = 0; i < wz->size(); ++i) {
        w_zero.push_back(wz->type() == DataType::kInt8 ? wz->data<int8_t>()[i] : wz->data<uint8_t>()[i]);
      }
    }
    quant::QConvArgs args;
    args.x = x->raw();
    args.x_signed = x->type() == DataType::kInt8;
    args.x_zero = xz == nullptr ? 0 : args.x_signed ? xz->data<int8_t>()[0] : xz->data<uint8_t>()[0];
    args.w = packed;
    args.w_zero = w_zero.empty() ? nullptr : w_zero.data();
    args.w_zero_per_channel = w_zero.size() > 1;
    args.kind = quant::QgemmEpilogue::kInt32;
    args.y = y->raw();
    quant::QConv(d, args, ctx.thread_pool());
    return Status::Ok();
  }

 private:
  ConvPoolAttrs attrs_;
  int64_t group_ = 1;
  std::shared_ptr<quant::QConvWeights> packed_;  // constant weights, packed at Init
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
