// QLinearConv: the int32 convolution of the centered operands plus the int32 bias, requantized with
// x_scale * w_scale / y_scale computed in float as onnxruntime does (w_scale and w_zero_point per tensor or per
// output channel). The work is the integer GEMM's (qconv.h); constant weights are packed once, at Init.
#include <cmath>
#include <memory>

#include "ep/cpu/kernels/quant/int_conv.h"
#include "ep/cpu/kernels/quant/int_matmul.h"
#include "ep/cpu/kernels/quant/qconv.h"
#include "ep/cpu/kernels/quant/quant_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

bool Is8Bit(DataType t) { return t == DataType::kInt8 || t == DataType::kUint8; }

class QLinearConvKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(attrs_.Init(info, /*is_pool=*/false));
    ONYX_RETURN_IF_ERROR(info.GetInt("group", &group_, int64_t{1}));
    if (group_ <= 0) return info.Error("group must be positive, got ", group_);
    // Only a true constant: an initializer that is also a graph input can be fed another value at run time.
    const Tensor* w =
        info.node().input(3) && !info.node().input(3)->is_graph_input() ? info.constant_input(3) : nullptr;
    if (w && Is8Bit(w->type()) && w->rank() >= 3 && w->dim(0) % group_ == 0) {
      packed_ = std::make_shared<quant::QConvWeights>();
      packed_->Pack(*w, group_);
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* x_scale = ctx.input(1);
    const Tensor* xz = ctx.input(2);
    const Tensor* w = ctx.input(3);
    const Tensor* w_scale = ctx.input(4);
    const Tensor* wz = ctx.input(5);
    const Tensor* y_scale = ctx.input(6);
    const Tensor* yz = ctx.input(7);
    const Tensor* bias = ctx.input(8);
    if (!x || !x_scale || !w || !w_scale || !y_scale) {
      return ctx.Error("inputs x, x_scale, w, w_scale and y_scale are required");
    }
    if (!Is8Bit(x->type()) || !Is8Bit(w->type())) return ctx.Error("x and w must be int8 or uint8");
    if (xz && (xz->type() != x->type() || xz->size() != 1))
      return ctx.Error("x_zero_point must be one value of x's type");
    if (wz && wz->type() != w->type()) return ctx.Error("w_zero_point type differs from w's");
    const DataType out_type = yz ? yz->type() : DataType::kUint8;
    if (!Is8Bit(out_type)) return ctx.Error("y_zero_point must be int8 or uint8");
    if (yz && yz->size() != 1) return ctx.Error("y_zero_point must be one value");
    for (const Tensor* s : {x_scale, w_scale, y_scale}) {
      if (!quant::IsScaleType(s->type())) return ctx.Error("scale type ", DataTypeName(s->type()), " is not supported");
    }
    if (x_scale->size() != 1 || y_scale->size() != 1) return ctx.Error("x_scale and y_scale must be one value");
    quant::IntConvDims d;
    ONYX_RETURN_IF_ERROR(quant::PlanIntConv(ctx, attrs_, group_, *x, *w, &d));
    ONYX_RETURN_IF_ERROR(quant::CheckPerTensorOrCount(ctx, wz, d.out_channels, "w_zero_point"));
    ONYX_RETURN_IF_ERROR(quant::CheckPerTensorOrCount(ctx, w_scale, d.out_channels, "w_scale"));
    if (bias && (bias->type() != DataType::kInt32 || bias->size() != d.out_channels)) {
      return ctx.Error("B must be int32 with ", d.out_channels, " values, got ", bias->Describe());
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, out_type, d.out_shape));
    if (y->size() == 0) return Status::Ok();
    quant::QConvWeights local;
    const quant::QConvWeights* packed = packed_.get();
    if (packed == nullptr || !packed->Matches(*w, group_)) {
      local.Pack(*w, group_);
      packed = &local;
    }
    const float xs = quant::LoadScale(*x_scale, 0), ys = quant::LoadScale(*y_scale, 0);
    const std::vector<float> ws = quant::LoadScales(*w_scale);
    std::vector<float> scale(static_cast<size_t>(d.out_channels));
    for (int64_t m = 0; m < d.out_channels; ++m)
      scale[static_cast<size_t>(m)] = xs * ws[ws.size() == 1 ? 0 : static_cast<size_t>(m)] / ys;
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
    args.kind = out_type == DataType::kInt8 ? quant::QgemmEpilogue::kInt8 : quant::QgemmEpilogue::kUint8;
    args.y = y->raw();
    args.bias = bias ? bias->data<int32_t>() : nullptr;
    args.scale = scale.data();
    args.y_zero = yz == nullptr ? 0 : out_type == DataType::kInt8 ? yz->data<int8_t>()[0] : yz->data<uint8_t>()[0];
    quant::QConv(d, args, ctx.thread_pool());
    return Status::Ok();
  }

 private:
  ConvPoolAttrs attrs_;
  int64_t group_ = 1;
  std::shared_ptr<quant::QConvWeights> packed_;  // constant weights, packed at Init
};

}  // namespace

ONYX_REGISTER_KERNEL(QLinearConvKernel, KernelDef("CPU", "", "QLinearConv")
                                            .Versions(10)
                                            .Types(0, {DataType::kInt8, DataType::kUint8})
                                            .Types(3, {DataType::kInt8, DataType::kUint8}));
ONYX_REGISTER_SHAPE_INFERENCE("", "QLinearConv", [](ir::InferenceContext& ctx) {
  const DataType t =
      ctx.has_input(7) && ctx.input_elem_type(7) != DataType::kUndefined ? ctx.input_elem_type(7) : DataType::kUint8;
  quant::InferIntConv(ctx, 3, t);
  return Status::Ok();
});

}  // namespace onyx::cpu
