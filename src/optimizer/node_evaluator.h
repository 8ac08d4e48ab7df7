// Runs one node on the CPU kernels, outside any session: what constant folding evaluates with.
#pragma once

#include <vector>

#include "common/status.h"
#include "framework/kernel_registry.h"
#include "framework/value.h"
#include "ir/graph.h"

namespace onyx::opt {

Result<std::vector<Value>> EvaluateNode(const ir::Node& node, const std::vector<const Value*>& inputs,
                                        const KernelRegistry& kernels);

// Runs one operator of the default domain at `opset` on constant inputs and returns its first output.
Result<Tensor> EvaluateOp(const std::string& op_type, int64_t opset, const std::vector<const Tensor*>& inputs,
                          const KernelRegistry& kernels, std::map<std::string, ir::Attribute> attributes = {});

}  // namespace onyx::opt
