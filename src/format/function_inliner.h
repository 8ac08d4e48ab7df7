// Inlines model-local functions (ModelProto.functions) into the graphs that call them.
#pragma once

#include "common/limits.h"
#include "common/status.h"
#include "ir/graph.h"
#include "onnx.pb.h"

namespace onyx::format {

// Replaces every call of a model-local function, in the main graph and in subgraphs, by the function's
// body with fresh value names and the call's attributes substituted. Domains the functions import and the
// model does not are added to `opsets`. Function calls nested deeper than limits.max_subgraph_depth (a function
// calling itself never ends) and graphs growing past limits.max_nodes nodes are refused.
Status InlineLocalFunctions(proto::ModelProto& mp, ir::OpsetMap& opsets, const Limits& limits = {});

}  // namespace onyx::format
