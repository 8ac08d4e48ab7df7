// ArrayFeatureExtractor: gathers the elements at the given indices along the last axis. A 1-D input gives a
// [1, K] output, as the runtimes that serve this operator do.
#include <string>

#include "ep/cpu/kernels/dispatch.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class ArrayFeatureExtractorKernel final : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* idx = ctx.input(1);
    if (x == nullptr || idx == nullptr) return ctx.Error("inputs X and Y are required");
    if (idx->type() != DataType::kInt64) return ctx.Error("input Y must be int64, got ", idx->Describe());
    if (x->rank() == 0) return ctx.Error("input X must have at least one dimension, got ", x->Describe());
    const int64_t f = x->dim(x->rank() - 1);
    const int64_t k = idx->size();
    const int64_t* indices = idx->data<int64_t>();
    for (int64_t i = 0; i < k; ++i) {
      if (indices[i] < 0 || indices[i] >= f) {
        return ctx.Error("index ", indices[i], " at position ", i, " of Y is out of range [0, ", f, ") for input ",
                         x->Describe());
      }
    }
    Shape out_shape = x->shape();
    if (x->rank() == 1) out_shape.insert(out_shape.begin(), 1);
    out_shape.back() = k;
    ONYX_ASSIGN_OR_RETURN(Tensor * z, ctx.Output(0, x->type(), out_shape));
    const int64_t rows = f == 0 ? 0 : x->size() / f;
    return Dispatch<float, double, int32_t, int64_t, std::string>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* in = x->data<T>();
          T* out = z->data<T>();
          for (int64_t r = 0; r < rows; ++r) {
            for (int64_t i = 0; i < k; ++i) out[r * k + i] = in[r * f + indices[i]];
          }
          return Status::Ok();
        },
        ctx.node());
  }
};

Status InferArrayFeatureExtractor(ir::InferenceContext& ctx) {
  const ir::SymShape* x = ctx.input_shape(0);
  const ir::SymShape* y = ctx.input_shape(1);
  std::optional<ir::SymShape> shape;
  if (x && !x->empty()) {
    ir::SymShape s = *x;
    if (s.size() == 1) s.insert(s.begin(), ir::Dim::Known(1));
    ir::Dim k;
    if (y) {
      int64_t n = 1;
      for (const ir::Dim& d : *y) n = (n >= 0 && d.known()) ? n * d.value : -1;
      if (n >= 0) k = ir::Dim::Known(n);
    }
    s.back() = k;
    shape = std::move(s);
  }
  ctx.SetOutput(0, ctx.input_elem_type(0), shape);
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(ArrayFeatureExtractorKernel, KernelDef("CPU", "ai.onnx.ml", "ArrayFeatureExtractor")
                                                      .Versions(1)
                                                      .Types(0, {DataType::kFloat, DataType::kDouble, DataType::kInt32,
                                                                 DataType::kInt64, DataType::kString}));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "ArrayFeatureExtractor", InferArrayFeatureExtractor);

}  // namespace
}  // namespace onyx::cpu
