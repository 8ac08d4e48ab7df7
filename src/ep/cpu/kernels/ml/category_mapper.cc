// CategoryMapper: maps strings to integers or integers to strings through two parallel lists; the input type
// picks the direction and values missing from the lists take the default of the output type.
#include <string>
#include <unordered_map>
#include <vector>

#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class CategoryMapperKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    std::vector<int64_t> ints;
    std::vector<std::string> strings;
    ONYX_RETURN_IF_ERROR(info.GetInts("cats_int64s", &ints, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetStrings("cats_strings", &strings, std::vector<std::string>{}));
    if (ints.size() != strings.size()) {
      return info.Error("attributes 'cats_int64s' (", ints.size(), ") and 'cats_strings' (", strings.size(),
                        ") must have the same length");
    }
    ONYX_RETURN_IF_ERROR(info.GetInt("default_int64", &default_int_, int64_t{-1}));
    ONYX_RETURN_IF_ERROR(info.GetString("default_string", &default_string_, std::string("_Unused")));
    // emplace keeps the first mapping of a repeated key.
    for (size_t i = 0; i < ints.size(); ++i) {
      to_int_.emplace(strings[i], ints[i]);
      to_string_.emplace(ints[i], strings[i]);
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input X is missing");
    if (x->type() == DataType::kString) {
      ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kInt64, x->shape()));
      const std::string* in = x->data<std::string>();
      int64_t* out = y->data<int64_t>();
      for (int64_t i = 0; i < x->size(); ++i) {
        auto it = to_int_.find(in[i]);
        out[i] = it == to_int_.end() ? default_int_ : it->second;
      }
      return Status::Ok();
    }
    if (x->type() == DataType::kInt64) {
      ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kString, x->shape()));
      const int64_t* in = x->data<int64_t>();
      std::string* out = y->data<std::string>();
      for (int64_t i = 0; i < x->size(); ++i) {
        auto it = to_string_.find(in[i]);
        out[i] = it == to_string_.end() ? default_string_ : it->second;
      }
      return Status::Ok();
    }
    return ctx.Error("input X must be a string or int64 tensor, got ", x->Describe());
  }

 private:
  std::unordered_map<std::string, int64_t> to_int_;
  std::unordered_map<int64_t, std::string> to_string_;
  int64_t default_int_ = -1;
  std::string default_string_;
};

Status InferCategoryMapper(ir::InferenceContext& ctx) {
  const DataType in = ctx.input_elem_type(0);
  if (in != DataType::kString && in != DataType::kInt64) return Status::Ok();
  const ir::SymShape* shape = ctx.input_shape(0);
  ctx.SetOutput(0, in == DataType::kString ? DataType::kInt64 : DataType::kString,
                shape ? std::optional<ir::SymShape>(*shape) : std::nullopt);
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(
    CategoryMapperKernel,
    KernelDef("CPU", "ai.onnx.ml", "CategoryMapper").Versions(1).Types(0, {DataType::kString, DataType::kInt64}));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "CategoryMapper", InferCategoryMapper);

}  // namespace
}  // namespace onyx::cpu
