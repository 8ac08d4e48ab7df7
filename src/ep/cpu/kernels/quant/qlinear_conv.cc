// QLinearConv: the int32 convolution of the centered operands plus the int32 bias, requantized with
// x_scale * w_scale / y_scale (w_scale and w_zero_point per tensor or per output channel).
#include <cmath>

#include "ep/cpu/kernels/quant/int_conv.h"
#include "ep/cpu/kernels/quant/int_matmul.h"
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
    const int64_t per_channel = d.out_channels == 0 ? 1 : w->size() / d.out_channels;
    const std::vector<int32_t> xc = quant::Center8(*x, xz, 1, 1);
    const std::vector<int32_t> wc = quant::Center8(*w, wz, std::max<int64_t>(1, per_channel), d.out_channels);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, out_type, d.out_shape));
    if (y->size() == 0) return Status::Ok();
    std::vector<int32_t> acc(static_cast<size_t>(y->size()));
    quant::DirectIntConv(d, xc.data(), wc.data(), acc.data(), ctx.thread_pool());

    const double xs = quant::LoadScale(*x_scale, 0), ys = quant::LoadScale(*y_scale, 0);
    const std::vector<float> ws = quant::LoadScales(*w_scale);
    const int64_t zero = yz == nullptr                 ? 0
                         : out_type == DataType::kInt8 ? yz->data<int8_t>()[0]
                                                       : yz->data<uint8_t>()[0];
    const int64_t lo = out_type == DataType::kInt8 ? -128 : 0, hi = out_type == DataType::kInt8 ? 127 : 255;
    const int64_t out_size = d.w.out_size();
    for (int64_t idx = 0; idx < y->size(); ++idx) {
      const int64_t m = (idx / out_size) % d.out_channels;
      const double mult = xs * ws[ws.size() == 1 ? 0 : static_cast<size_t>(m)] / ys;
      const int64_t b = bias ? bias->data<int32_t>()[m] : 0;
      const auto q = static_cast<float>((static_cast<double>(acc[static_cast<size_t>(idx)]) + b) * mult);
      const int64_t v = quant::RoundClamp(std::nearbyint(q) + static_cast<float>(zero), lo, hi);
      if (out_type == DataType::kInt8) {
        y->data<int8_t>()[idx] = static_cast<int8_t>(v);
      } else {
        y->data<uint8_t>()[idx] = static_cast<uint8_t>(v);
      }
    }
    return Status::Ok();
  }

 private:
  ConvPoolAttrs attrs_;
  int64_t group_ = 1;
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
