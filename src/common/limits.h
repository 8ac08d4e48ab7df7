// Limits on what a model file (and a run) may ask of Onyx. Files are untrusted: each limit bounds the memory
// or the recursion one model can demand before anything checks it against the machine. The defaults let every
// real model we know of through; a session takes them from SessionOptions::config, whose keys are named below
// (session/session_limits.h reads them; docs/RELIABILITY.md, "Limits"). A refusal names the limit, the value and
// the key.
#pragma once

#include <cstdint>

#include "common/checked_math.h"  // kMaxTensorBytes: the hard ceiling for any one tensor, whatever the options say

namespace onyx {

struct Limits {
  // Subgraphs (If, Loop, Scan bodies) nested deeper than this, and model-local functions calling each other
  // deeper than this, are refused: the parser, the IR builder, the inliner, validation and the executors recurse
  // once per level. Config "session.max_subgraph_depth" (1 to kMaxSubgraphDepthCeiling).
  int max_subgraph_depth = 64;
  // Nodes in all graphs of the model, subgraphs included, counted after model-local functions are inlined
  // (a function that calls another twice, 30 levels deep, would otherwise expand to billions). Config
  // "session.max_nodes".
  int64_t max_nodes = 1'000'000;
  // Bytes of one tensor: initializers and attribute tensors when the model loads, and every tensor a kernel
  // allocates during a run (a shape computed from an input can ask for anything). Config
  // "session.max_tensor_bytes" (at most kMaxTensorBytes).
  int64_t max_tensor_bytes = int64_t{16} << 30;
  // Bytes of external data all tensors of the model refer to together (the same range read twice counts
  // twice). Config "session.max_external_data_bytes".
  int64_t max_external_data_bytes = int64_t{256} << 30;
  // Bytes of one string: string tensor elements in the file or fed to a run, string attributes. Config
  // "session.max_string_bytes".
  int64_t max_string_bytes = int64_t{64} << 20;
};

// The deepest nesting an option may allow: beyond it the recursion itself would exhaust a thread's stack.
inline constexpr int kMaxSubgraphDepthCeiling = 1000;

}  // namespace onyx
