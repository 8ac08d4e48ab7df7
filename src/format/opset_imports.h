// The opsets a model declares (the opset_import of the model and of each model-local function), checked before
// the IR is built: a version newer than this build knows, or a node whose domain no opset_import declares, is
// refused with a message naming the domain, instead of being run against the wrong operator versions.
#pragma once

#include "common/status.h"
#include "ir/graph.h"
#include "onnx.pb.h"

namespace onyx::format {

// The model's opset imports by canonical domain ("" for ai.onnx). Refuses:
//  - a version below 1, or above the newest this build knows for the domain (ir::NewestKnownOpset), in the
//    model's or in a function's opset_import;
//  - a node (in the main graph, a subgraph, or a function body) whose domain is declared by no opset_import:
//    the model's for graph nodes, the function's or the model's for function-body nodes.
// Files of IR version 1 and 2 predate opset_import: an empty list there means ai.onnx opset 1.
Result<ir::OpsetMap> ReadOpsetImports(const proto::ModelProto& mp);

}  // namespace onyx::format
