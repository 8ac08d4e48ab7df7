// Value: what flows along a graph edge at run time: a tensor, a sequence, an optional, or a map.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "framework/tensor.h"

namespace onyx {

class Value;

struct Sequence {
  DataType elem_type = DataType::kUndefined;  // element type of tensor elements, when known
  std::vector<Value> items;
};

// A map from integer or string keys to a value (ai.onnx.ml ZipMap and DictVectorizer speak it).
struct MapValue {
  DataType key_type = DataType::kInt64;
  std::vector<int64_t> int_keys;
  std::vector<std::string> string_keys;
  std::vector<Value> values;
};

class Value {
 public:
  enum class Kind { kNone, kTensor, kSequence, kOptional, kMap };

  Value() = default;
  Value(Tensor t) : kind_(Kind::kTensor), tensor_(std::move(t)) {}  // NOLINT(google-explicit-constructor)
  static Value FromSequence(Sequence s) {
    Value v;
    v.kind_ = Kind::kSequence;
    v.sequence_ = std::make_shared<Sequence>(std::move(s));
    return v;
  }
  // An optional: holds `inner` when present, nothing when `inner` is null.
  static Value FromOptional(std::shared_ptr<Value> inner) {
    Value v;
    v.kind_ = Kind::kOptional;
    v.optional_ = std::move(inner);
    return v;
  }
  static Value FromMap(MapValue m) {
    Value v;
    v.kind_ = Kind::kMap;
    v.map_ = std::make_shared<MapValue>(std::move(m));
    return v;
  }

  Kind kind() const { return kind_; }
  bool is_tensor() const { return kind_ == Kind::kTensor; }
  bool is_sequence() const { return kind_ == Kind::kSequence; }
  bool is_optional() const { return kind_ == Kind::kOptional; }
  bool is_map() const { return kind_ == Kind::kMap; }
  bool empty() const { return kind_ == Kind::kNone; }

  Tensor& tensor() { return tensor_; }
  const Tensor& tensor() const { return tensor_; }
  const Sequence& sequence() const { return *sequence_; }
  Sequence& mutable_sequence() { return *sequence_; }
  bool has_element() const { return optional_ != nullptr; }
  const Value& optional_element() const { return *optional_; }
  const MapValue& map() const { return *map_; }

  std::string Describe() const;

 private:
  Kind kind_ = Kind::kNone;
  Tensor tensor_;
  std::shared_ptr<Sequence> sequence_;
  std::shared_ptr<Value> optional_;
  std::shared_ptr<MapValue> map_;
};

}  // namespace onyx
