// Dropout. At inference (the usual case) Y is X itself, shared without a copy,
// and the mask is all true. Training mode (opset 12+ training_mode input, or
// is_test=0 before opset 7) drops elements with the node's generator (random_common.h: the `seed` attribute,
// else the process-wide seed, else the system's entropy; successive runs continue the sequence, so each run
// draws a new mask as in training). Its random choices are not meant to match any other implementation's.
#include <random>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/random/random_common.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

class DropoutKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    opset_ = info.opset();
    if (opset_ < 12) {
      ONYX_RETURN_IF_ERROR(info.GetFloat("ratio", &ratio_, 0.5f));
    }
    if (opset_ < 7) {
      int64_t is_test = 0;
      ONYX_RETURN_IF_ERROR(info.GetInt("is_test", &is_test, int64_t{0}));
      training_ = is_test == 0;
    }
    return source_.Init(info, rng::SeedAttr::kInt);
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) return ctx.Error("input data is required");
    float ratio = ratio_;
    bool training = training_;
    if (opset_ >= 12) {
      if (const Tensor* r = ctx.input(1)) {
        if (r->size() != 1 || !IsFloatingPoint(r->type())) return ctx.Error("ratio must be a floating-point scalar");
        ratio = static_cast<float>(ToDoubleVector(*r)[0]);
      }
      if (const Tensor* t = ctx.input(2)) {
        if (t->size() != 1 || t->type() != DataType::kBool) return ctx.Error("training_mode must be a bool scalar");
        training = t->data<bool>()[0];
      }
    }
    if (ratio < 0.0f || ratio >= 1.0f) {
      if (training || opset_ >= 12) return ctx.Error("ratio must be in [0, 1), got ", ratio);
    }
    const DataType mask_type = opset_ >= 10 ? DataType::kBool : x->type();
    if (!training || ratio == 0.0f) {
      ONYX_RETURN_IF_ERROR(ctx.SetOutput(0, Value(x->Reshaped(x->shape()))));
      if (ctx.output_requested(1)) {
        ONYX_ASSIGN_OR_RETURN(Tensor * mask, ctx.Output(1, mask_type, x->shape()));
        ONYX_RETURN_IF_ERROR(FillMask(ctx, mask, nullptr));
      }
      return Status::Ok();
    }
    const int64_t n = x->size();
    std::vector<uint8_t> keep(static_cast<size_t>(n));
    source_.Use([&](std::mt19937_64& engine) {
      std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
      for (auto& k : keep) k = uniform(engine) >= ratio;
    });
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), x->shape()));
    ONYX_ASSIGN_OR_RETURN(Tensor xc, AsComputeTensor(ctx, *x));
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    const double scale = 1.0 / (1.0 - ratio);
    Status st = Dispatch<float, double>(
        xc.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* xp = xc.data<T>();
          T* yp = yc.data<T>();
          for (int64_t i = 0; i < n; ++i) yp[i] = keep[i] ? static_cast<T>(xp[i] * scale) : T(0);
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    if (ctx.output_requested(1)) {
      ONYX_ASSIGN_OR_RETURN(Tensor * mask, ctx.Output(1, mask_type, x->shape()));
      ONYX_RETURN_IF_ERROR(FillMask(ctx, mask, &keep));
    }
    return Status::Ok();
  }

 private:
  static Status FillMask(KernelContext& ctx, Tensor* mask, const std::vector<uint8_t>* keep) {
    const int64_t n = mask->size();
    if (mask->type() == DataType::kBool) {
      for (int64_t i = 0; i < n; ++i) mask->data<bool>()[i] = keep ? (*keep)[i] != 0 : true;
      return Status::Ok();
    }
    std::vector<double> ones(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) ones[i] = keep ? (*keep)[i] : 1.0;
    FromDoubleVector(ones, mask);
    return Status::Ok();
  }

  int64_t opset_ = 13;
  float ratio_ = 0.5f;
  bool training_ = false;
  rng::RandomSource source_;
};

Status InferDropout(ir::InferenceContext& ctx) {
  ctx.CopyInputToOutput(0, 0);
  if (ctx.output_count() > 1) {
    const ir::SymShape* s = ctx.input_shape(0);
    DataType mask = ctx.node().opset() >= 10 ? DataType::kBool : ctx.input_elem_type(0);
    if (mask != DataType::kUndefined) ctx.SetOutput(1, mask, s ? std::optional<ir::SymShape>(*s) : std::nullopt);
  }
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(DropoutKernel, KernelDef("CPU", "", "Dropout").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Dropout", InferDropout);

}  // namespace onyx::cpu
