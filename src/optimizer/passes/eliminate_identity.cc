// Removes nodes inference does not need: Identity, and Dropout whose mask nobody reads (at inference
// Dropout passes its input through). Readers are pointed at the input instead.
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

class EliminateIdentity final : public GraphPass {
 public:
  std::string name() const override { return "EliminateIdentity"; }
  Result<int> Run(ir::Graph& graph, const PassContext&) const override {
    int rewrites = 0;
    std::vector<ir::Node*> candidates;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && (n->op_type() == "Identity" || n->op_type() == "Dropout"))
        candidates.push_back(n.get());
    }
    for (ir::Node* node : candidates) {
      ir::Value* in = node->input(0);
      ir::Value* out = node->output(0);
      if (!in || !out || !in->type().is_tensor()) continue;
      if (node->op_type() == "Dropout") {
        ir::Value* mask = node->output(1);
        if (mask && (!mask->consumers().empty() || mask->is_graph_output())) continue;
        // training_mode given as a non-constant or true input keeps the node.
        if (node->input(2)) {
          const Tensor* training = ConstantInput(*node, 2);
          if (!training || training->type() != DataType::kBool || training->data<bool>()[0]) continue;
        }
      }
      if (BypassNode(graph, node, in, out)) ++rewrites;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kBasic, 10, EliminateIdentity);

}  // namespace
}  // namespace onyx::opt
