// Constant folding: a node whose inputs are all constants is evaluated once with the CPU kernels and
// replaced by its results, unless they would bloat the model (larger than the cap and than the inputs).
#include <set>

#include "framework/kernel_registry.h"
#include "optimizer/graph_pass.h"
#include "optimizer/node_evaluator.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

bool IsFoldable(const ir::Node& node) {
  static const std::set<std::string> kNeverFold = {"RandomNormal",
                                                   "RandomUniform",
                                                   "RandomNormalLike",
                                                   "RandomUniformLike",
                                                   "Multinomial",
                                                   "Bernoulli",
                                                   "If",
                                                   "Loop",
                                                   "Scan",
                                                   "SequenceMap",
                                                   "Dropout"};
  if (kNeverFold.count(node.op_type())) return false;
  if (!node.subgraphs().empty()) return false;
  if (node.domain() != "" && node.domain() != "ai.onnx.ml") return false;
  return true;
}

}  // namespace

Result<bool> FoldConstantNode(ir::Graph& graph, ir::Node* node, const PassContext& ctx) {
  if (ctx.kernels == nullptr) return false;
  std::vector<Value> held;
  held.reserve(node->inputs().size());
  std::vector<const Value*> inputs;
  int64_t input_bytes = 0;
  for (const ir::Value* in : node->inputs()) {
    if (in == nullptr) {
      inputs.push_back(nullptr);
      continue;
    }
    const Tensor* t = ConstantOf(in);
    if (t == nullptr) return false;
    input_bytes += t->bytes();
    held.emplace_back(*t);
    inputs.push_back(&held.back());
  }
  auto outputs = EvaluateNode(*node, inputs, *ctx.kernels);
  if (!outputs.ok()) return false;  // left to run time, where the error (if any) is reported
  for (const Value& v : outputs.value()) {
    if (!v.is_tensor() || (v.tensor().bytes() > ctx.max_folded_bytes && v.tensor().bytes() > input_bytes)) return false;
  }
  std::vector<ir::Value*> outs = node->outputs();
  graph.RemoveNode(node);
  for (size_t i = 0; i < outs.size(); ++i) {
    if (outs[i]) ONYX_RETURN_IF_ERROR(graph.MakeConstant(outs[i], outputs.value()[i].tensor()));
  }
  return true;
}

namespace {

class ConstantFolding final : public GraphPass {
 public:
  std::string name() const override { return "ConstantFolding"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    if (ctx.kernels == nullptr) return 0;
    int rewrites = 0;
    ONYX_ASSIGN_OR_RETURN(std::vector<ir::Node*> order, graph.TopologicalOrder());
    for (ir::Node* node : order) {
      if (!IsFoldable(*node)) continue;
      if (ctx.defer_dequantize_folding && node->domain().empty() && node->op_type() == "DequantizeLinear") continue;
      ONYX_ASSIGN_OR_RETURN(bool folded, FoldConstantNode(graph, node, ctx));
      if (!folded) continue;
      ++rewrites;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kBasic, 40, ConstantFolding);

}  // namespace
}  // namespace onyx::opt
