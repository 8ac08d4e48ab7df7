// DictVectorizer: turns a map into a [1, V] tensor, placing each key's value at the key's position in the
// vocabulary. Keys outside the vocabulary are skipped (as the runtimes that serve this operator do); absent
// keys leave zeros (empty strings for string values).
#include <string>
#include <unordered_map>
#include <vector>

#include "ep/cpu/kernels/dispatch.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class DictVectorizerKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    std::vector<int64_t> ints;
    std::vector<std::string> strings;
    ONYX_RETURN_IF_ERROR(info.GetInts("int64_vocabulary", &ints, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetStrings("string_vocabulary", &strings, std::vector<std::string>{}));
    if (ints.empty() == strings.empty()) {
      return info.Error("exactly one of 'int64_vocabulary' and 'string_vocabulary' must be set");
    }
    string_keys_ = !strings.empty();
    size_ = static_cast<int64_t>(string_keys_ ? strings.size() : ints.size());
    for (size_t i = 0; i < ints.size(); ++i) int_index_.emplace(ints[i], static_cast<int64_t>(i));
    for (size_t i = 0; i < strings.size(); ++i) string_index_.emplace(strings[i], static_cast<int64_t>(i));
    // An empty map carries no value type, so the static one is kept for it.
    const ir::Type* t = info.input_type(0);
    if (t && t->kind == ir::Type::Kind::kMap && t->inner && t->inner->is_tensor()) {
      static_value_type_ = t->inner->elem_type;
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Value* v = ctx.input_value(0);
    if (v == nullptr || !v->is_map()) return ctx.Error("input X must be a map");
    const MapValue& m = v->map();
    const bool map_string_keys = m.key_type == DataType::kString;
    if (map_string_keys != string_keys_) {
      return ctx.Error("the map has ", DataTypeName(m.key_type), " keys but the vocabulary is ",
                       string_keys_ ? "string" : "int64");
    }
    DataType value_type = static_value_type_;
    for (const Value& item : m.values) {
      if (!item.is_tensor() || item.tensor().size() != 1) return ctx.Error("map values must be scalars");
      value_type = item.tensor().type();
      break;
    }
    if (value_type == DataType::kUndefined) value_type = DataType::kFloat;
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, value_type, Shape{1, size_}));
    return Dispatch<float, double, int64_t, std::string>(
        value_type,
        [&](auto tag) -> Status {
          using T = decltype(tag);
          T* out = y->data<T>();
          for (size_t i = 0; i < m.values.size(); ++i) {
            const Value& item = m.values[i];
            if (!item.is_tensor() || item.tensor().size() != 1 || item.tensor().type() != value_type) {
              return ctx.Error("map value ", i, " is not a scalar of type ", DataTypeName(value_type));
            }
            int64_t pos = -1;
            if (string_keys_) {
              if (i >= m.string_keys.size()) return ctx.Error("the map has fewer keys than values");
              auto it = string_index_.find(m.string_keys[i]);
              if (it != string_index_.end()) pos = it->second;
            } else {
              if (i >= m.int_keys.size()) return ctx.Error("the map has fewer keys than values");
              auto it = int_index_.find(m.int_keys[i]);
              if (it != int_index_.end()) pos = it->second;
            }
            if (pos >= 0) out[pos] = item.tensor().data<T>()[0];
          }
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  bool string_keys_ = false;
  int64_t size_ = 0;
  DataType static_value_type_ = DataType::kUndefined;
  std::unordered_map<int64_t, int64_t> int_index_;
  std::unordered_map<std::string, int64_t> string_index_;
};

Status InferDictVectorizer(ir::InferenceContext& ctx) {
  const ir::Type* t = ctx.input_type(0);
  if (!t || t->kind != ir::Type::Kind::kMap || !t->inner || !t->inner->is_tensor()) return Status::Ok();
  int64_t n = static_cast<int64_t>(ctx.attr_ints("int64_vocabulary").size());
  if (const ir::Attribute* s = ctx.attr("string_vocabulary")) n += static_cast<int64_t>(s->strings.size());
  ctx.SetOutput(0, t->inner->elem_type, ir::SymShape{ir::Dim::Known(1), ir::Dim::Known(n)});
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(DictVectorizerKernel, KernelDef("CPU", "ai.onnx.ml", "DictVectorizer").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "DictVectorizer", InferDictVectorizer);

}  // namespace
}  // namespace onyx::cpu
