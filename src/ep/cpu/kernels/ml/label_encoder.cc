// LabelEncoder: maps each element through a key -> value table.
//   opset 1: 'classes_strings'; a string input maps to its index, an int64 input to the string at that index.
//   opset 2: parallel 'keys_*' / 'values_*' lists (floats, int64s, strings) and a 'default_*' per value type.
//   opset 4: also 'keys_tensor' / 'values_tensor' / 'default_tensor' (int16, int32, double too); a repeated key
//            maps to its last value, and a NaN key matches every NaN.
#include <cmath>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "ep/cpu/kernels/dispatch.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

bool IsLabelType(DataType t) {
  return t == DataType::kString || t == DataType::kInt64 || t == DataType::kInt32 || t == DataType::kInt16 ||
         t == DataType::kFloat || t == DataType::kDouble;
}
bool IsFloatType(DataType t) { return t == DataType::kFloat || t == DataType::kDouble; }

// Reads one side of the table (keys or values) from whichever of its attributes is set.
Status ReadColumn(const KernelInfo& info, const std::string& side, Tensor* out) {
  int set = 0;
  if (info.has_attr(side + "_tensor")) {
    ++set;
    ONYX_RETURN_IF_ERROR(info.GetTensor(side + "_tensor", out));
    if (!IsLabelType(out->type())) {
      return info.Error("attribute '", side, "_tensor' has unsupported type ", DataTypeName(out->type()));
    }
  }
  if (info.has_attr(side + "_floats")) {
    ++set;
    std::vector<float> v;
    ONYX_RETURN_IF_ERROR(info.GetFloats(side + "_floats", &v));
    *out = Tensor::FromVector<float>({static_cast<int64_t>(v.size())}, v);
  }
  if (info.has_attr(side + "_int64s")) {
    ++set;
    std::vector<int64_t> v;
    ONYX_RETURN_IF_ERROR(info.GetInts(side + "_int64s", &v));
    *out = Tensor::FromVector<int64_t>({static_cast<int64_t>(v.size())}, v);
  }
  if (info.has_attr(side + "_strings")) {
    ++set;
    std::vector<std::string> v;
    ONYX_RETURN_IF_ERROR(info.GetStrings(side + "_strings", &v));
    *out = Tensor::FromVector<std::string>({static_cast<int64_t>(v.size())}, v);
  }
  if (set != 1) return info.Error("exactly one of the '", side, "_*' attributes must be set (", set, " are)");
  return Status::Ok();
}

class LabelEncoderKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if (info.opset() < 2) return InitV1(info);
    ONYX_RETURN_IF_ERROR(ReadColumn(info, "keys", &keys_));
    ONYX_RETURN_IF_ERROR(ReadColumn(info, "values", &values_));
    if (keys_.size() != values_.size()) {
      return info.Error("the keys (", keys_.size(), ") and values (", values_.size(), ") differ in length");
    }
    ONYX_RETURN_IF_ERROR(ReadDefault(info));
    return BuildIndex();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input X is missing");
    if (v1_int_to_string_ && x->type() == DataType::kInt64) return ComputeV1IndexToString(ctx, *x);
    if (x->type() != keys_.type()) {
      return ctx.Error("input ", x->Describe(), " does not match the key type ", DataTypeName(keys_.type()));
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, values_.type(), x->shape()));
    std::vector<int64_t> slots(static_cast<size_t>(x->size()));
    ONYX_RETURN_IF_ERROR((Dispatch<std::string, int64_t, int32_t, int16_t, float, double>(
        x->type(),
        [&](auto tag) -> Status {
          using K = decltype(tag);
          const K* in = x->data<K>();
          for (int64_t i = 0; i < x->size(); ++i) slots[static_cast<size_t>(i)] = Find(in[i]);
          return Status::Ok();
        },
        ctx.node())));
    return Dispatch<std::string, int64_t, int32_t, int16_t, float, double>(
        values_.type(),
        [&](auto tag) -> Status {
          using V = decltype(tag);
          const V* table = values_.data<V>();
          const V fallback = default_.data<V>()[0];
          V* out = y->data<V>();
          for (size_t i = 0; i < slots.size(); ++i) out[i] = slots[i] < 0 ? fallback : table[slots[i]];
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  Status InitV1(const KernelInfo& info) {
    std::vector<std::string> classes;
    ONYX_RETURN_IF_ERROR(info.GetStrings("classes_strings", &classes, std::vector<std::string>{}));
    int64_t default_int = -1;
    std::string default_string;
    ONYX_RETURN_IF_ERROR(info.GetInt("default_int64", &default_int, int64_t{-1}));
    ONYX_RETURN_IF_ERROR(info.GetString("default_string", &default_string, std::string("_Unused")));
    std::vector<int64_t> positions(classes.size());
    for (size_t i = 0; i < classes.size(); ++i) positions[i] = static_cast<int64_t>(i);
    const int64_t n = static_cast<int64_t>(classes.size());
    keys_ = Tensor::FromVector<std::string>({n}, classes);
    values_ = Tensor::FromVector<int64_t>({n}, positions);
    default_ = Tensor::Scalar<int64_t>(default_int);
    v1_int_to_string_ = true;
    v1_default_string_ = default_string;
    // The first occurrence of a repeated class is its index, so build the index from the back.
    for (int64_t i = n; i-- > 0;) string_index_[classes[static_cast<size_t>(i)]] = i;
    return Status::Ok();
  }

  Status ComputeV1IndexToString(KernelContext& ctx, const Tensor& x) const {
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kString, x.shape()));
    const int64_t* in = x.data<int64_t>();
    const std::string* classes = keys_.data<std::string>();
    std::string* out = y->data<std::string>();
    for (int64_t i = 0; i < x.size(); ++i) {
      out[i] = in[i] >= 0 && in[i] < keys_.size() ? classes[in[i]] : v1_default_string_;
    }
    return Status::Ok();
  }

  Status ReadDefault(const KernelInfo& info) {
    const DataType vt = values_.type();
    if (info.has_attr("default_tensor")) {
      ONYX_RETURN_IF_ERROR(info.GetTensor("default_tensor", &default_));
      if (default_.type() != vt || default_.size() != 1) {
        return info.Error("attribute 'default_tensor' must hold one ", DataTypeName(vt), " value, got ",
                          default_.Describe());
      }
      return Status::Ok();
    }
    if (vt == DataType::kString) {
      std::string s;
      ONYX_RETURN_IF_ERROR(info.GetString("default_string", &s, std::string("_Unused")));
      default_ = Tensor::FromVector<std::string>({}, {s});
    } else if (IsFloatType(vt)) {
      float f = -0.0f;
      ONYX_RETURN_IF_ERROR(info.GetFloat("default_float", &f, -0.0f));
      default_ = vt == DataType::kFloat ? Tensor::Scalar<float>(f) : Tensor::Scalar<double>(f);
    } else {
      int64_t v = -1;
      ONYX_RETURN_IF_ERROR(info.GetInt("default_int64", &v, int64_t{-1}));
      default_ = vt == DataType::kInt64   ? Tensor::Scalar<int64_t>(v)
                 : vt == DataType::kInt32 ? Tensor::Scalar<int32_t>(static_cast<int32_t>(v))
                                          : Tensor::Scalar<int16_t>(static_cast<int16_t>(v));
    }
    return Status::Ok();
  }

  // Later keys overwrite earlier ones, so a repeated key maps to its last value.
  Status BuildIndex() {
    const int64_t n = keys_.size();
    for (int64_t i = 0; i < n; ++i) {
      switch (keys_.type()) {
        case DataType::kString:
          string_index_[keys_.data<std::string>()[i]] = i;
          break;
        case DataType::kInt64:
          int_index_[keys_.data<int64_t>()[i]] = i;
          break;
        case DataType::kInt32:
          int_index_[keys_.data<int32_t>()[i]] = i;
          break;
        case DataType::kInt16:
          int_index_[keys_.data<int16_t>()[i]] = i;
          break;
        case DataType::kFloat:
          AddFloatKey(keys_.data<float>()[i], i);
          break;
        case DataType::kDouble:
          AddFloatKey(keys_.data<double>()[i], i);
          break;
        default:
          break;
      }
    }
    return Status::Ok();
  }
  void AddFloatKey(double k, int64_t i) {
    if (std::isnan(k)) {
      nan_slot_ = i;
    } else {
      float_index_[k] = i;
    }
  }

  int64_t Find(const std::string& k) const {
    auto it = string_index_.find(k);
    return it == string_index_.end() ? -1 : it->second;
  }
  template <typename K>
  int64_t Find(K k) const {
    if constexpr (std::is_floating_point_v<K>) {
      if (std::isnan(k)) return nan_slot_;
      auto it = float_index_.find(static_cast<double>(k));
      return it == float_index_.end() ? -1 : it->second;
    } else {
      auto it = int_index_.find(static_cast<int64_t>(k));
      return it == int_index_.end() ? -1 : it->second;
    }
  }

  Tensor keys_, values_, default_;
  std::unordered_map<std::string, int64_t> string_index_;
  std::unordered_map<int64_t, int64_t> int_index_;
  std::unordered_map<double, int64_t> float_index_;
  int64_t nan_slot_ = -1;
  bool v1_int_to_string_ = false;
  std::string v1_default_string_;
};

DataType ColumnType(ir::InferenceContext& ctx, const std::string& side) {
  if (const ir::Attribute* t = ctx.attr(side + "_tensor")) return t->t.type();
  if (ctx.attr(side + "_floats")) return DataType::kFloat;
  if (ctx.attr(side + "_int64s")) return DataType::kInt64;
  if (ctx.attr(side + "_strings")) return DataType::kString;
  return DataType::kUndefined;
}

Status InferLabelEncoder(ir::InferenceContext& ctx) {
  DataType out = DataType::kUndefined;
  if (ctx.node().opset() < 2) {
    const DataType in = ctx.input_elem_type(0);
    if (in == DataType::kString) out = DataType::kInt64;
    if (in == DataType::kInt64) out = DataType::kString;
  } else {
    out = ColumnType(ctx, "values");
  }
  if (out == DataType::kUndefined) return Status::Ok();
  const ir::SymShape* shape = ctx.input_shape(0);
  ctx.SetOutput(0, out, shape ? std::optional<ir::SymShape>(*shape) : std::nullopt);
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(LabelEncoderKernel, KernelDef("CPU", "ai.onnx.ml", "LabelEncoder").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "LabelEncoder", InferLabelEncoder);

}  // namespace
}  // namespace onyx::cpu
