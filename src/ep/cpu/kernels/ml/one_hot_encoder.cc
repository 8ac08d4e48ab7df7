// OneHotEncoder: appends an axis of length len(categories) holding 1 at the input's category and 0 elsewhere.
// Numeric inputs are truncated to int64 and looked up in 'cats_int64s'; strings in 'cats_strings'.
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "ep/cpu/kernels/ml/ml_common.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class OneHotEncoderKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    std::vector<int64_t> ints;
    std::vector<std::string> strings;
    ONYX_RETURN_IF_ERROR(info.GetInts("cats_int64s", &ints, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetStrings("cats_strings", &strings, std::vector<std::string>{}));
    if (ints.empty() == strings.empty()) {
      return info.Error("exactly one of 'cats_int64s' and 'cats_strings' must be set");
    }
    int64_t zeros = 1;
    ONYX_RETURN_IF_ERROR(info.GetInt("zeros", &zeros, int64_t{1}));
    zeros_ = zeros != 0;
    use_strings_ = !strings.empty();
    count_ = static_cast<int64_t>(use_strings_ ? strings.size() : ints.size());
    for (size_t i = 0; i < ints.size(); ++i) int_index_.emplace(ints[i], static_cast<int64_t>(i));
    for (size_t i = 0; i < strings.size(); ++i) string_index_.emplace(strings[i], static_cast<int64_t>(i));
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input X is missing");
    const bool is_string = x->type() == DataType::kString;
    if (!is_string && !ml::IsMlNumericType(x->type())) {
      return ctx.Error("input X must be string, int32, int64, float or double, got ", x->Describe());
    }
    if (is_string != use_strings_) {
      return ctx.Error("input ", x->Describe(), " needs '", is_string ? "cats_strings" : "cats_int64s",
                       "' but the node defines '", use_strings_ ? "cats_strings" : "cats_int64s", "'");
    }
    Shape out_shape = x->shape();
    out_shape.push_back(count_);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kFloat, out_shape));
    float* out = y->data<float>();
    std::vector<double> numbers;
    if (!is_string) {
      numbers.resize(static_cast<size_t>(x->size()));
      ml::CopyAsNumber<double>(*x, numbers.data());
    }
    for (int64_t i = 0; i < x->size(); ++i) {
      int64_t cat = -1;
      if (is_string) {
        auto it = string_index_.find(x->data<std::string>()[i]);
        if (it != string_index_.end()) cat = it->second;
      } else {
        const double v = numbers[static_cast<size_t>(i)];
        // Values outside int64 (or NaN) cannot name a category.
        if (std::isfinite(v) && std::abs(v) < 9.2e18) {
          auto it = int_index_.find(static_cast<int64_t>(v));
          if (it != int_index_.end()) cat = it->second;
        }
      }
      if (cat < 0) {
        if (zeros_) continue;
        return ctx.Error("element ", i, " of input X is not one of the categories and 'zeros' is 0");
      }
      out[i * count_ + cat] = 1.0f;
    }
    return Status::Ok();
  }

 private:
  bool zeros_ = true, use_strings_ = false;
  int64_t count_ = 0;
  std::unordered_map<int64_t, int64_t> int_index_;
  std::unordered_map<std::string, int64_t> string_index_;
};

Status InferOneHotEncoder(ir::InferenceContext& ctx) {
  const ir::SymShape* in = ctx.input_shape(0);
  std::optional<ir::SymShape> shape;
  if (in) {
    shape = *in;
    const ir::Attribute* s = ctx.attr("cats_strings");
    const ir::Attribute* i = ctx.attr("cats_int64s");
    const size_t n = s && !s->strings.empty() ? s->strings.size() : i ? i->ints.size() : 0;
    shape->push_back(n > 0 ? ir::Dim::Known(static_cast<int64_t>(n)) : ir::Dim{});
  }
  ctx.SetOutput(0, DataType::kFloat, shape);
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(OneHotEncoderKernel, KernelDef("CPU", "ai.onnx.ml", "OneHotEncoder")
                                              .Versions(1)
                                              .Types(0, {DataType::kString, DataType::kInt64, DataType::kInt32,
                                                         DataType::kFloat, DataType::kDouble}));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "OneHotEncoder", InferOneHotEncoder);

}  // namespace
}  // namespace onyx::cpu
