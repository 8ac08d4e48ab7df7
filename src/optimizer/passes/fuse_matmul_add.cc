// MatMul of a 2-D activation by a constant 2-D weight followed by an Add of a constant bias becomes one Gemm.
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

class FuseMatMulAdd final : public GraphPass {
 public:
  std::string name() const override { return "FuseMatMulAdd"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    auto opset = graph.opsets().find("");
    if (opset == graph.opsets().end() || opset->second < 7 || !CanProduce(ctx, graph, "", "Gemm")) return 0;
    int rewrites = 0;
    std::vector<ir::Node*> matmuls;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && n->op_type() == "MatMul") matmuls.push_back(n.get());
    }
    for (ir::Node* mm : matmuls) {
      const ir::Value* a = mm->input(0);
      const Tensor* b = ConstantInput(*mm, 1);
      if (!a || !b || b->rank() != 2 || !a->type().is_tensor() || !a->type().shape || a->type().shape->size() != 2)
        continue;
      if (a->type().elem_type != DataType::kFloat || b->type() != DataType::kFloat) continue;
      ir::Node* add = SoleConsumer(mm->output(0));
      if (!add || add->op_type() != "Add" || !add->domain().empty()) continue;
      size_t other = add->input(0) == mm->output(0) ? 1 : 0;
      const Tensor* c = ConstantInput(*add, other);
      if (!c || c->type() != DataType::kFloat) continue;
      const int64_t n = b->dim(1);
      bool bias_shape = (c->rank() == 1 && c->dim(0) == n) || (c->rank() == 2 && c->dim(0) == 1 && c->dim(1) == n);
      if (!bias_shape) continue;
      std::vector<std::string> inputs = {a->name(), mm->input(1)->name(), add->input(other)->name()};
      std::string out = add->output(0)->name(), gemm_name = mm->name() + "_gemm";
      graph.RemoveNode(add);
      graph.RemoveNode(mm);
      graph.AddNode(gemm_name, "Gemm", "", opset->second, inputs, {out}, {});
      ++rewrites;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kBasic, 60, FuseMatMulAdd);

}  // namespace
}  // namespace onyx::opt
