// CausalConvWithState (opset 27): depthwise causal 1-D convolution over (past_state ++ input), with an optional
// fused SiLU; present_state keeps the last k-1 positions of that concatenation for the next decode step.
#include <cmath>

#include "ep/cpu/kernels/transformer/transformer_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

class CausalConvWithStateKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    std::string act;
    ONYX_RETURN_IF_ERROR(info.GetString("activation", &act, std::string("none")));
    if (act != "none" && act != "silu" && act != "swish")
      return info.Error("activation must be none, silu or swish, got \"", act, "\"");
    silu_ = act != "none";
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* w = ctx.input(1);
    const Tensor* bias = ctx.input(2);
    const Tensor* past = ctx.input(3);
    if (!x || !w) return ctx.Error("inputs input and weight are required");
    if (!transformer::IsFloatType(x->type()) || w->type() != x->type())
      return ctx.Error("input and weight must share a floating-point type");
    if (x->rank() != 3) return ctx.Error("input must be 3-D (batch, channels, length), got ", x->Describe());
    const int64_t n = x->dim(0), c = x->dim(1), len = x->dim(2);
    if (w->rank() != 3 || w->dim(0) != c || w->dim(1) != 1 || w->dim(2) < 1)
      return ctx.Error("weight ", w->Describe(), " must be [", c, ",1,k] with k >= 1");
    const int64_t kk = w->dim(2), carry = kk - 1;
    if (bias && (bias->type() != x->type() || bias->shape() != Shape{c}))
      return ctx.Error("bias ", bias->Describe(), " must be [", c, "]");
    const Shape state_shape{n, c, carry};
    if (past && (past->type() != x->type() || past->shape() != state_shape))
      return ctx.Error("past_state ", past->Describe(), " must be ", ShapeToString(state_shape));
    const std::vector<double> xv = ToDoubleVector(*x), wv = ToDoubleVector(*w);
    const std::vector<double> bv = bias ? ToDoubleVector(*bias) : std::vector<double>(static_cast<size_t>(c), 0.0);
    const std::vector<double> pv = past ? ToDoubleVector(*past) : std::vector<double>();
    std::vector<double> y(xv.size()), present(static_cast<size_t>(n * c * carry));
    std::vector<double> padded(static_cast<size_t>(carry + len));
    for (int64_t nc = 0; nc < n * c; ++nc) {
      const int64_t ch = nc % c;
      for (int64_t i = 0; i < carry; ++i) padded[i] = past ? pv[nc * carry + i] : 0.0;
      for (int64_t i = 0; i < len; ++i) padded[carry + i] = xv[nc * len + i];
      for (int64_t t = 0; t < len; ++t) {
        double acc = bv[ch];
        for (int64_t j = 0; j < kk; ++j) acc += wv[ch * kk + j] * padded[t + j];
        if (silu_) acc = acc / (1.0 + std::exp(-acc));
        y[nc * len + t] = acc;
      }
      for (int64_t i = 0; i < carry; ++i) present[nc * carry + i] = padded[len + i];
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(0, x->type(), x->shape()));
    FromDoubleVector(y, out);
    if (ctx.output_requested(1)) {
      ONYX_ASSIGN_OR_RETURN(Tensor * st, ctx.Output(1, x->type(), state_shape));
      FromDoubleVector(present, st);
    }
    return Status::Ok();
  }

 private:
  bool silu_ = false;
};

Status InferCausalConvWithState(ir::InferenceContext& ctx) {
  ctx.CopyInputToOutput(0, 0);
  const DataType t = ctx.input_elem_type(0);
  const ir::SymShape* x = ctx.input_shape(0);
  const ir::SymShape* w = ctx.input_shape(1);
  if (ctx.output_count() > 1) {
    if (x && w && x->size() == 3 && w->size() == 3 && (*w)[2].value >= 1)
      ctx.SetOutput(1, t, ir::SymShape{(*x)[0], (*x)[1], ir::Dim::Known((*w)[2].value - 1)});
    else
      ctx.SetOutput(1, t, std::nullopt);
  }
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(CausalConvWithStateKernel, KernelDef("CPU", "", "CausalConvWithState").Versions(27));
ONYX_REGISTER_SHAPE_INFERENCE("", "CausalConvWithState", InferCausalConvWithState);

}  // namespace onyx::cpu
