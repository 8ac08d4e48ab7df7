// FeatureVectorizer: concatenates [N, C_i] inputs (1-D inputs are [1, C]) along the second axis into float.
// 'inputdimensions' gives each input's width in the output: a narrower input is padded with zeros and a
// wider one is cut, so the output width never depends on the data.
#include <algorithm>
#include <vector>

#include "ep/cpu/kernels/ml/ml_common.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class FeatureVectorizerKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInts("inputdimensions", &dims_, std::vector<int64_t>{}));
    for (size_t i = 0; i < dims_.size(); ++i) {
      if (dims_[i] < 0) return info.Error("attribute 'inputdimensions' has negative entry ", dims_[i]);
      total_ += dims_[i];
    }
    if (dims_.size() != info.input_count()) {
      return info.Error("attribute 'inputdimensions' has ", dims_.size(), " entries for ", info.input_count(),
                        " inputs");
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    int64_t n = -1;
    for (size_t i = 0; i < ctx.input_count(); ++i) {
      const Tensor* x = ctx.input(i);
      if (x == nullptr || !ml::IsMlNumericType(x->type())) {
        return ctx.Error("input ", i, " must be an int32, int64, float or double tensor");
      }
      const int64_t rows = ml::RowsOf(*x).n;
      if (n >= 0 && rows != n) {
        return ctx.Error("input ", i, " ", x->Describe(), " has ", rows, " rows; input 0 has ", n);
      }
      n = rows;
    }
    if (n < 0) n = 0;
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kFloat, Shape{n, total_}));
    float* out = y->data<float>();
    int64_t col = 0;
    std::vector<float> tmp;
    for (size_t i = 0; i < ctx.input_count(); ++i) {
      const Tensor* x = ctx.input(i);
      const int64_t width = ml::RowsOf(*x).f;
      tmp.resize(static_cast<size_t>(x->size()));
      ml::CopyAsNumber<float>(*x, tmp.data());
      const int64_t copy = std::min(width, dims_[i]);
      for (int64_t r = 0; r < n; ++r) std::copy_n(tmp.data() + r * width, copy, out + r * total_ + col);
      col += dims_[i];
    }
    return Status::Ok();
  }

 private:
  std::vector<int64_t> dims_;
  int64_t total_ = 0;
};

Status InferFeatureVectorizer(ir::InferenceContext& ctx) {
  int64_t total = 0;
  for (int64_t d : ctx.attr_ints("inputdimensions")) total += d;
  ir::Dim n;
  const ir::SymShape* first = ctx.input_shape(0);
  if (first) n = first->size() <= 1 ? ir::Dim::Known(1) : (*first)[0];
  ctx.SetOutput(0, DataType::kFloat, ir::SymShape{n, ir::Dim::Known(total)});
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(FeatureVectorizerKernel, KernelDef("CPU", "ai.onnx.ml", "FeatureVectorizer").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "FeatureVectorizer", InferFeatureVectorizer);

}  // namespace
}  // namespace onyx::cpu
