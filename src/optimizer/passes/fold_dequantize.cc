// Folds DequantizeLinear of constants (level extended, after the QDQ fusions). ConstantFolding leaves them to this
// pass while a QDQ fusion pass is on (PassContext::defer_dequantize_folding), so that the fusions read the 8-bit
// weights; what they did not take is folded here into float constants, under ConstantFolding's size rule, and the
// float passes that follow (FuseConvResidual, FuseActivation, the NCHWc layout) see plain float weights.
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

class FoldDequantizeLinear final : public GraphPass {
 public:
  std::string name() const override { return "FoldDequantizeLinear"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    if (!ctx.defer_dequantize_folding) return 0;  // ConstantFolding folded them already
    std::vector<ir::Node*> dqs;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && n->op_type() == "DequantizeLinear") dqs.push_back(n.get());
    }
    int rewrites = 0;
    for (ir::Node* n : dqs) {
      ONYX_ASSIGN_OR_RETURN(bool folded, FoldConstantNode(graph, n, ctx));
      rewrites += folded ? 1 : 0;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kExtended, 4, FoldDequantizeLinear);

}  // namespace
}  // namespace onyx::opt
