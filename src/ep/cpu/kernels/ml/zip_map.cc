// ZipMap: turns each row of an [N, C] float tensor (a 1-D input is one row) into a map from the C class labels
// to that row's values; the output is a sequence of N maps.
#include <string>
#include <vector>

#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class ZipMapKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInts("classlabels_int64s", &int_labels_, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetStrings("classlabels_strings", &string_labels_, std::vector<std::string>{}));
    if (int_labels_.empty() == string_labels_.empty()) {
      return info.Error("exactly one of 'classlabels_int64s' and 'classlabels_strings' must be set");
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr || x->type() != DataType::kFloat) return ctx.Error("input X must be a float tensor");
    const bool strings = !string_labels_.empty();
    const int64_t c = static_cast<int64_t>(strings ? string_labels_.size() : int_labels_.size());
    if (x->rank() < 1 || x->rank() > 2 || x->dim(x->rank() - 1) != c) {
      return ctx.Error("input X must be [N, ", c, "] or [", c, "] to match the class labels, got ", x->Describe());
    }
    const int64_t n = x->rank() == 1 ? 1 : x->dim(0);
    const float* in = x->data<float>();
    Sequence seq;
    seq.items.reserve(static_cast<size_t>(n));
    for (int64_t r = 0; r < n; ++r) {
      MapValue m;
      m.key_type = strings ? DataType::kString : DataType::kInt64;
      if (strings) {
        m.string_keys = string_labels_;
      } else {
        m.int_keys = int_labels_;
      }
      m.values.reserve(static_cast<size_t>(c));
      for (int64_t j = 0; j < c; ++j) m.values.emplace_back(Tensor::Scalar<float>(in[r * c + j]));
      seq.items.push_back(Value::FromMap(std::move(m)));
    }
    return ctx.SetOutput(0, Value::FromSequence(std::move(seq)));
  }

 private:
  std::vector<int64_t> int_labels_;
  std::vector<std::string> string_labels_;
};

Status InferZipMap(ir::InferenceContext& ctx) {
  const ir::Attribute* s = ctx.attr("classlabels_strings");
  ir::Type map;
  map.kind = ir::Type::Kind::kMap;
  map.elem_type = s && !s->strings.empty() ? DataType::kString : DataType::kInt64;
  map.inner = std::make_shared<ir::Type>(ir::Type::Tensor(DataType::kFloat, ir::SymShape{}));
  ir::Type seq;
  seq.kind = ir::Type::Kind::kSequence;
  seq.inner = std::make_shared<ir::Type>(std::move(map));
  ctx.SetOutputType(0, std::move(seq));
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(ZipMapKernel, KernelDef("CPU", "ai.onnx.ml", "ZipMap").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "ZipMap", InferZipMap);

}  // namespace
}  // namespace onyx::cpu
