// Partitioning: gives each node to the first provider (in the user's order of preference) that claims it,
// the rest to the CPU provider (always last), then inserts copy nodes where a value crosses devices.
#pragma once

#include <memory>
#include <vector>

#include "common/status.h"
#include "framework/execution_provider.h"
#include "ir/graph.h"

namespace onyx {

// The domain of Onyx's own operators (copy nodes now; fused operators later).
inline constexpr const char* kOnyxDomain = "com.onyx";
inline constexpr const char* kMemcpyFromHost = "MemcpyFromHost";
inline constexpr const char* kMemcpyToHost = "MemcpyToHost";

// `providers` is in order of preference and ends with the CPU provider. Recurses into subgraphs.
Status PartitionGraph(ir::Graph& graph, const std::vector<std::shared_ptr<ExecutionProvider>>& providers);

// Makes the kernel for a node on its provider: a copy kernel for copy nodes, otherwise the provider's
// registered kernel; fails naming the node when there is none.
Result<std::unique_ptr<OpKernel>> CreateKernelFor(const ir::Node& node, const ExecutionProvider& provider);

}  // namespace onyx
