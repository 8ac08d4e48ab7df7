// A Transpose that swaps the two axes of a matrix feeding Gemm becomes Gemm's transA/transB; feeding a 2-D
// MatMul, the MatMul becomes a Gemm with that flag. The Transpose stays only if something else reads it.
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

// The input of a 2-D Transpose that swaps the axes, or null.
ir::Value* SwappedMatrix(const ir::Value* v) {
  const ir::Node* t = v ? v->producer() : nullptr;
  if (!t || t->op_type() != "Transpose" || !t->domain().empty() || !t->input(0)) return nullptr;
  const ir::Value* in = t->input(0);
  if (!in->type().shape || in->type().shape->size() != 2) return nullptr;
  const ir::Attribute* perm = t->attribute("perm");
  if (perm && perm->ints != std::vector<int64_t>{1, 0}) return nullptr;
  return t->input(0);
}

bool IsMatrix(const ir::Value* v) { return v && v->type().shape && v->type().shape->size() == 2; }

class FuseTransposeIntoGemm final : public GraphPass {
 public:
  std::string name() const override { return "FuseTransposeIntoGemm"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    auto opset = graph.opsets().find("");
    if (opset == graph.opsets().end() || opset->second < 11 || !CanProduce(ctx, graph, "", "Gemm")) return 0;
    std::vector<ir::Node*> candidates;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && (n->op_type() == "Gemm" || n->op_type() == "MatMul")) candidates.push_back(n.get());
    }
    int rewrites = 0;
    for (ir::Node* node : candidates) {
      ir::Value* a = SwappedMatrix(node->input(0));
      ir::Value* b = SwappedMatrix(node->input(1));
      if (!a && !b) continue;
      if (node->op_type() == "MatMul") {
        // MatMul broadcasts batch dims; only the plain 2-D product is a Gemm.
        if (!IsMatrix(node->input(0)) || !IsMatrix(node->input(1))) continue;
        const DataType t = node->input(0)->type().elem_type;
        if (t != DataType::kFloat && t != DataType::kDouble) continue;
        std::vector<std::string> inputs = {(a ? a : node->input(0))->name(), (b ? b : node->input(1))->name()};
        std::map<std::string, ir::Attribute> attrs;
        if (a) attrs["transA"] = IntAttr("transA", 1);
        if (b) attrs["transB"] = IntAttr("transB", 1);
        std::string out = node->output(0)->name(), gemm_name = node->name();
        graph.RemoveNode(node);
        graph.AddNode(gemm_name, "Gemm", "", opset->second, inputs, {out}, std::move(attrs));
      } else {
        std::map<std::string, ir::Attribute> attrs = node->attributes();
        if (a) {
          attrs["transA"] = IntAttr("transA", 1 - AttrInt(*node, "transA", 0));
          graph.ReplaceInput(node, 0, a);
        }
        if (b) {
          attrs["transB"] = IntAttr("transB", 1 - AttrInt(*node, "transB", 0));
          graph.ReplaceInput(node, 1, b);
        }
        std::vector<std::string> inputs;
        for (const ir::Value* v : node->inputs()) inputs.push_back(v ? v->name() : std::string());
        std::string out = node->output(0)->name(), gemm_name = node->name();
        int64_t gemm_opset = node->opset();
        graph.RemoveNode(node);
        graph.AddNode(gemm_name, "Gemm", "", gemm_opset, inputs, {out}, std::move(attrs));
      }
      ++rewrites;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kBasic, 62, FuseTransposeIntoGemm);

}  // namespace
}  // namespace onyx::opt
