#include "format/subgraph_nesting.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace onyx::format {

namespace {

// The messages on the way from a ModelProto to its subgraphs.
enum class Kind { kModel, kTrainingInfo, kFunction, kGraph, kNode, kAttribute };

// Protobuf wire types (the low three bits of a field's tag).
enum WireType : uint64_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

struct Frame {
  size_t end;  // one past the message's last byte
  Kind kind;
  int level;
};

// The message kind and subgraph level a length-delimited field of `kind` holds, when it leads to subgraphs.
// Field numbers are those of src/format/onnx.proto.
std::optional<std::pair<Kind, int>> ChildOf(Kind kind, uint64_t field, int level) {
  switch (kind) {
    case Kind::kModel:
      if (field == 7) return std::pair{Kind::kGraph, 0};          // graph
      if (field == 25) return std::pair{Kind::kFunction, 0};      // functions
      if (field == 20) return std::pair{Kind::kTrainingInfo, 0};  // training_info
      break;
    case Kind::kTrainingInfo:
      if (field == 1 || field == 2) return std::pair{Kind::kGraph, 0};  // initialization, algorithm
      break;
    case Kind::kFunction:
      if (field == 7) return std::pair{Kind::kNode, level};  // node
      break;
    case Kind::kGraph:
      if (field == 1) return std::pair{Kind::kNode, level};  // node
      break;
    case Kind::kNode:
      if (field == 5) return std::pair{Kind::kAttribute, level};  // attribute
      break;
    case Kind::kAttribute:
      if (field == 6 || field == 11) return std::pair{Kind::kGraph, level + 1};  // g, graphs
      break;
  }
  return std::nullopt;
}

bool ReadVarint(const uint8_t* bytes, size_t end, size_t* pos, uint64_t* out) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64 && *pos < end; shift += 7) {
    uint8_t b = bytes[(*pos)++];
    value |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *out = value;
      return true;
    }
  }
  return false;
}

}  // namespace

int SubgraphNesting(const void* data, size_t size, int stop_above) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  std::vector<Frame> stack{{size, Kind::kModel, 0}};
  size_t pos = 0;
  int deepest = 0;
  while (!stack.empty()) {
    const Frame top = stack.back();
    if (pos >= top.end) {
      if (pos > top.end) return deepest;  // a field ran past its message
      stack.pop_back();
      continue;
    }
    uint64_t tag = 0, value = 0;
    if (!ReadVarint(bytes, top.end, &pos, &tag)) return deepest;
    switch (tag & 7) {
      case kVarint:
        if (!ReadVarint(bytes, top.end, &pos, &value)) return deepest;
        break;
      case kFixed64:
      case kFixed32: {
        size_t width = (tag & 7) == kFixed64 ? 8 : 4;
        if (top.end - pos < width) return deepest;
        pos += width;
        break;
      }
      case kLengthDelimited: {
        if (!ReadVarint(bytes, top.end, &pos, &value) || value > top.end - pos) return deepest;
        auto child = ChildOf(top.kind, tag >> 3, top.level);
        if (!child) {
          pos += static_cast<size_t>(value);
          break;
        }
        if (child->first == Kind::kGraph) {
          deepest = std::max(deepest, child->second);
          if (deepest > stop_above) return deepest;
        }
        stack.push_back({pos + static_cast<size_t>(value), child->first, child->second});
        break;
      }
      default:  // groups: ONNX uses none
        return deepest;
    }
  }
  return deepest;
}

}  // namespace onyx::format
