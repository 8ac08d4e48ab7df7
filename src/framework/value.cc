#include "framework/value.h"

namespace onyx {

std::string Value::Describe() const {
  switch (kind_) {
    case Kind::kNone: return "none";
    case Kind::kTensor: return tensor_.Describe();
    case Kind::kSequence: return "sequence of " + std::to_string(sequence_->items.size());
    case Kind::kOptional: return optional_ ? "optional(" + optional_->Describe() + ")" : "optional(empty)";
    case Kind::kMap: return "map of " + std::to_string(map_->values.size());
  }
  return "?";
}

}  // namespace onyx
