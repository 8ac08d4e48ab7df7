// Loading a model: bytes or a path → ModelProto → IR (with initializers, subgraphs and model-local
// functions inlined). Validation and shape inference run afterwards (ir/validate.h, ir/shape_inference.h).
#pragma once

#include <memory>
#include <string>

#include "common/limits.h"
#include "common/status.h"
#include "ir/model.h"
#include "onnx.pb.h"

namespace onyx::format {

// Newest IR version whose fields this build knows.
inline constexpr int64_t kMaxIrVersion = 13;

// Subgraphs (If, Loop, Scan bodies) nested deeper than this are refused by default: the IR builder, validation
// and the executors recurse once per level, so the limit guards them against hostile files
// (Limits::max_subgraph_depth, config "session.max_subgraph_depth").
inline constexpr int kMaxSubgraphDepth = Limits{}.max_subgraph_depth;

// Each of these refuses what goes over `limits` (common/limits.h) with a message naming the limit, the value
// and the config key that raises it.
Status ParseModelProto(const void* data, size_t size, proto::ModelProto* out, const Limits& limits = {});

Result<std::unique_ptr<ir::Model>> LoadModel(const std::string& path, const Limits& limits = {});
// `base_dir` is where external data is looked for; empty means the model may not use external data.
Result<std::unique_ptr<ir::Model>> LoadModelFromBytes(const void* data, size_t size, const std::string& base_dir = {},
                                                      const Limits& limits = {});
// Builds the IR from a parsed proto (which may be modified: tensor bytes are moved out of it).
Result<std::unique_ptr<ir::Model>> BuildModel(proto::ModelProto& mp, const std::string& base_dir,
                                              const Limits& limits = {});

Result<ir::Type> TypeFromProto(const proto::TypeProto& tp);

}  // namespace onyx::format
