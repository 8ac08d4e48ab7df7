// A Reshape whose target shape is computed at run time from symbolic dims (x.view(x.size()[:-1] + (12, 64)) as
// torch.onnx exports it: Shape -> Gather -> Unsqueeze -> Concat) gets a constant target when shape inference
// knows every element: a symbol equal to the input's dim at the same position becomes 0 (copy that dim),
// known sizes stay, and one remaining symbol becomes -1 (inferred from the element count). The rewrite is exact
// for every run-time size; the shape arithmetic then dies, and the fusions that want single-reader
// intermediates (attention, skip-LayerNorm) see the pattern.
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

// The constant target, or empty when some element is unknown or two would need inferring.
std::vector<int64_t> ConstantTarget(const ir::ShapeValue& value, const ir::SymShape& in) {
  std::vector<int64_t> target;
  bool inferred = false;
  for (const ir::SymInt& e : value.elems) {
    if (e.known()) {
      if (e.value == -1) {
        if (inferred) return {};
        inferred = true;
      } else if (e.value < -1) {
        return {};
      }
      target.push_back(e.value);
      continue;
    }
    if (!e.symbolic()) return {};
    const size_t i = target.size();
    if (i < in.size() && ir::SymInt::FromDim(in[i]) == e) {
      target.push_back(0);
    } else if (!inferred) {
      inferred = true;
      target.push_back(-1);
    } else {
      return {};
    }
  }
  return target;
}

class FoldReshapeTargets final : public GraphPass {
 public:
  std::string name() const override { return "FoldReshapeTargets"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    if (ctx.shape_values == nullptr) return 0;
    std::vector<ir::Node*> reshapes;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && n->op_type() == "Reshape" && n->opset() >= 5 && n->input(0) && n->input(1) &&
          !ConstantInput(*n, 1) && AttrInt(*n, "allowzero", 0) == 0) {
        reshapes.push_back(n.get());
      }
    }
    const auto& values = *ctx.shape_values;
    int rewrites = 0;
    for (ir::Node* reshape : reshapes) {
      auto it = values.find(reshape->input(1));
      const ir::SymShape* in = reshape->input(0)->type().shape ? &*reshape->input(0)->type().shape : nullptr;
      if (it == values.end() || it->second.scalar || in == nullptr) continue;
      std::vector<int64_t> target = ConstantTarget(it->second, *in);
      if (target.empty()) continue;
      const auto count = static_cast<int64_t>(target.size());
      ONYX_ASSIGN_OR_RETURN(ir::Value * c, graph.AddConstant(reshape->name() + "_shape",
                                                             Tensor::FromVector<int64_t>({count}, target)));
      graph.ReplaceInput(reshape, 1, c);
      ++rewrites;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kBasic, 32, FoldReshapeTargets);

}  // namespace
}  // namespace onyx::opt
