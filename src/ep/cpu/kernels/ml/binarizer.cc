// Binarizer: 1 where the input is greater than 'threshold', 0 elsewhere (NaN compares false, so it maps to 0).
#include "ep/cpu/kernels/dispatch.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class BinarizerKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return info.GetFloat("threshold", &threshold_, 0.0f); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input X is missing");
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), x->shape()));
    return Dispatch<float, double, int32_t, int64_t>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* in = x->data<T>();
          T* out = y->data<T>();
          const double threshold = threshold_;
          for (int64_t i = 0; i < x->size(); ++i) out[i] = static_cast<double>(in[i]) > threshold ? T(1) : T(0);
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  float threshold_ = 0;
};

ONYX_REGISTER_KERNEL(BinarizerKernel,
                     KernelDef("CPU", "ai.onnx.ml", "Binarizer")
                         .Versions(1)
                         .Types(0, {DataType::kFloat, DataType::kDouble, DataType::kInt32, DataType::kInt64}));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "Binarizer", ir::InferSameAsInput);

}  // namespace
}  // namespace onyx::cpu
