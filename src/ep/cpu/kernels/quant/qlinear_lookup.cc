// com.microsoft QLinearSigmoid and QLinearLeakyRelu (onnxruntime contrib operators): Y = quantize(f(dequantize(X)))
// with per-tensor scales and zero points. An 8-bit input has 256 values, so each operator is a 256-entry table
// (built once when the scales are constants) and one lookup per element; both share this file because they
// differ only in f.
#include <cmath>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "ep/cpu/kernels/quant/qlinear_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::quant {

namespace {

struct SigmoidFn {
  float alpha = 0;
  float operator()(float x) const { return 1.0f / (1.0f + std::exp(-x)); }
};

struct LeakyReluFn {
  float alpha = 0.01f;
  float operator()(float x) const { return x >= 0 ? x : alpha * x; }
};

// Inputs: X, X_scale, X_zero_point (optional), Y_scale, Y_zero_point (optional).
template <typename Fn, bool kHasAlpha>
class QLinearLookupKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if constexpr (kHasAlpha) ONYX_RETURN_IF_ERROR(info.GetFloat("alpha", &fn_.alpha, 0.01f));
    const ir::Type* xt = info.input_type(0);
    DataType type = xt != nullptr ? xt->elem_type : DataType::kUndefined;
    if (!Is8Bit(type)) return Status::Ok();  // decided at run time
    QParams x, y;
    DataType ytype = type;
    if (ConstantQParams(info, 1, 2, &type, &x) && ConstantQParams(info, 3, 4, &ytype, &y) && ytype == type) {
      lut_ = Build(type, x, y);
      lut_type_ = type;
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input X is required");
    if (!Is8Bit(x->type())) return ctx.Error("X must be uint8 or int8, got ", x->Describe());
    Lut local;
    const Lut* lut = &lut_;
    if (lut_type_ != x->type()) {
      QParams xp, yp;
      ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 1, 2, x->type(), "X", &xp));
      ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 3, 4, x->type(), "Y", &yp));
      local = Build(x->type(), xp, yp);
      lut = &local;
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, x->type(), x->shape()));
    const void* in = x->raw();
    void* out = y->raw();
    ThreadPool::For(ctx.thread_pool(), x->size(), kCheapNsPerElement, [&](int64_t begin, int64_t end) {
      ApplyLut(*lut, static_cast<const uint8_t*>(in) + begin, static_cast<uint8_t*>(out) + begin, end - begin);
    });
    return Status::Ok();
  }

 private:
  Lut Build(DataType type, QParams x, QParams y) const {
    return type == DataType::kInt8 ? BuildLut<int8_t>(x, y, fn_) : BuildLut<uint8_t>(x, y, fn_);
  }

  Fn fn_;
  Lut lut_{};
  DataType lut_type_ = DataType::kUndefined;  // the element type lut_ was built for; undefined: none
};

using QLinearSigmoidKernel = QLinearLookupKernel<SigmoidFn, false>;
using QLinearLeakyReluKernel = QLinearLookupKernel<LeakyReluFn, true>;

}  // namespace

ONYX_REGISTER_KERNEL(
    QLinearSigmoidKernel,
    KernelDef("CPU", kMsDomain, "QLinearSigmoid").Versions(1).Types(0, {DataType::kUint8, DataType::kInt8}));
ONYX_REGISTER_SHAPE_INFERENCE(kMsDomain, "QLinearSigmoid", InferQUnary);
ONYX_REGISTER_KERNEL(
    QLinearLeakyReluKernel,
    KernelDef("CPU", kMsDomain, "QLinearLeakyRelu").Versions(1).Types(0, {DataType::kUint8, DataType::kInt8}));
ONYX_REGISTER_SHAPE_INFERENCE(kMsDomain, "QLinearLeakyRelu", InferQUnary);

}  // namespace onyx::cpu::quant
