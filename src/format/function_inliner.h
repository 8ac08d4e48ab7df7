// Inlines model-local functions (ModelProto.functions) into the graphs that call them.
#pragma once

#include "common/status.h"
#include "ir/graph.h"
#include "onnx.pb.h"

namespace onyx::format {

// Replaces every call of a model-local function, in the main graph and in subgraphs, by the function's
// body with fresh value names and the call's attributes substituted. Domains the functions import and the
// model does not are added to `opsets`.
Status InlineLocalFunctions(proto::ModelProto& mp, ir::OpsetMap& opsets);

}  // namespace onyx::format
