// Static types of graph values: tensors with (possibly symbolic) shapes, sequences, optionals, maps.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "framework/data_type.h"

namespace onyx::ir {

// One dimension: a known size (value >= 0), a named symbol (param), or unknown.
struct Dim {
  int64_t value = -1;
  std::string param;
  bool known() const { return value >= 0; }
  static Dim Known(int64_t v) { return Dim{v, {}}; }
  static Dim Symbol(std::string p) { return Dim{-1, std::move(p)}; }
  bool operator==(const Dim&) const = default;
};

using SymShape = std::vector<Dim>;

// A shape whose every dim is known.
SymShape ToSymShape(const std::vector<int64_t>& dims);

struct Type {
  enum class Kind { kUnknown, kTensor, kSparseTensor, kSequence, kOptional, kMap, kOpaque };
  Kind kind = Kind::kUnknown;
  DataType elem_type = DataType::kUndefined;  // tensors; map key type for maps
  std::optional<SymShape> shape;              // tensors: nullopt when the rank is unknown
  std::shared_ptr<Type> inner;                // sequence/optional element, map value

  static Type Tensor(DataType t, std::optional<SymShape> shape = std::nullopt) {
    Type ty;
    ty.kind = Kind::kTensor;
    ty.elem_type = t;
    ty.shape = std::move(shape);
    return ty;
  }
  bool is_tensor() const { return kind == Kind::kTensor; }
  bool has_static_shape() const;
  // onnxruntime's spelling: "tensor(float)", "seq(tensor(int64))", "optional(tensor(float))", "map(int64,tensor(float))".
  std::string ToString() const;
  std::string ShapeString() const;  // "[1,3,N,?]"
};

}  // namespace onyx::ir
