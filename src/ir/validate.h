// Validation on load: every error names the node (or value) that is wrong.
#pragma once

#include "common/status.h"
#include "ir/model.h"

namespace onyx::ir {

// Checks the main graph and every subgraph: operators known in their domain and opset (standard domains
// against the specification's table), domains imported, input/output counts and attribute types as the
// specification gives them, every input produced by something, no value produced twice, no cycle.
Status ValidateModel(const Model& model);
Status ValidateGraph(const Graph& graph, const OpsetMap& opsets);

}  // namespace onyx::ir
