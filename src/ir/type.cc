#include "ir/type.h"

namespace onyx::ir {

SymShape ToSymShape(const std::vector<int64_t>& dims) {
  SymShape s;
  for (int64_t d : dims) s.push_back(Dim::Known(d));
  return s;
}

bool Type::has_static_shape() const {
  if (!shape) return false;
  for (const Dim& d : *shape) {
    if (!d.known()) return false;
  }
  return true;
}

std::string Type::ToString() const {
  switch (kind) {
    case Kind::kUnknown: return "unknown";
    case Kind::kTensor: return std::string("tensor(") + DataTypeName(elem_type) + ")";
    case Kind::kSparseTensor: return std::string("sparse_tensor(") + DataTypeName(elem_type) + ")";
    case Kind::kSequence: return "seq(" + (inner ? inner->ToString() : std::string("unknown")) + ")";
    case Kind::kOptional: return "optional(" + (inner ? inner->ToString() : std::string("unknown")) + ")";
    case Kind::kMap:
      return std::string("map(") + DataTypeName(elem_type) + "," + (inner ? inner->ToString() : "unknown") + ")";
    case Kind::kOpaque: return "opaque";
  }
  return "unknown";
}

std::string Type::ShapeString() const {
  if (!shape) return "?";
  std::string s = "[";
  for (size_t i = 0; i < shape->size(); ++i) {
    if (i) s += ",";
    const Dim& d = (*shape)[i];
    s += d.known() ? std::to_string(d.value) : (d.param.empty() ? "?" : d.param);
  }
  return s + "]";
}

}  // namespace onyx::ir
