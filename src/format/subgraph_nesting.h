// How deep a serialized model nests subgraphs, measured on its bytes without parsing them: when protobuf's
// parser gives up at its recursion limit, this tells that nesting was the cause (and not a damaged file).
#pragma once

#include <cstddef>

namespace onyx::format {

// The deepest subgraph level in a serialized ModelProto: the main graph and function bodies are level 0, a
// graph attribute of a node at level L is at level L+1. Follows only the fields that lead to subgraphs, with
// an explicit stack (no recursion), and stops as soon as the level exceeds `stop_above`. Bytes that are not
// well-formed end the scan: the deepest level seen before them is returned.
int SubgraphNesting(const void* data, size_t size, int stop_above);

}  // namespace onyx::format
