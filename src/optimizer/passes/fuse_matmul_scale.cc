// A MatMul whose result, or one of whose inputs, is multiplied by a scalar constant (attention scores scaled
// by 1/sqrt(d), for example) becomes com.onyx:FusedMatMul with that factor as alpha: the scale is applied
// while the product is written instead of in a separate pass over memory. Runs after the basic level has
// turned a division by a constant into a multiplication, and after the transformer fusions (whose patterns
// include such scales).
#include "ir/op_schema.h"
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

// For Mul(v, c) or Mul(c, v) with c a float scalar constant: the operand index of v, else -1.
int ScaledOperand(const ir::Node* mul, float* factor) {
  if (!mul || mul->op_type() != "Mul" || !mul->domain().empty() || mul->inputs().size() != 2) return -1;
  for (int k = 0; k < 2; ++k) {
    const Tensor* c = ConstantInput(*mul, static_cast<size_t>(k));
    if (c && c->type() == DataType::kFloat && c->size() == 1 && mul->input(static_cast<size_t>(1 - k))) {
      *factor = c->data<float>()[0];
      return 1 - k;
    }
  }
  return -1;
}

class FuseMatMulScale final : public GraphPass {
 public:
  std::string name() const override { return "FuseMatMulScale"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    if (!CanProduce(ctx, graph, "com.onyx", "FusedMatMul")) return 0;
    std::vector<ir::Node*> matmuls;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && n->op_type() == "MatMul") matmuls.push_back(n.get());
    }
    int rewrites = 0;
    for (ir::Node* mm : matmuls) {
      ir::Value* out = mm->output(0);
      if (!out || out->type().elem_type != DataType::kFloat || !mm->input(0) || !mm->input(1)) continue;
      float alpha = 1.0f, f = 1.0f;
      std::vector<ir::Value*> inputs = {mm->input(0), mm->input(1)};
      std::vector<ir::Node*> absorbed;
      // Scaled inputs: Mul(x, c) read only by this MatMul.
      for (ir::Value*& in : inputs) {
        ir::Node* mul = in->producer();
        int k = ScaledOperand(mul, &f);
        if (k < 0 || SoleConsumer(in) != mm || !SameType(in, mul->input(static_cast<size_t>(k)))) continue;
        alpha *= f;
        in = mul->input(static_cast<size_t>(k));
        absorbed.push_back(mul);
      }
      // A scaled result.
      ir::Node* after = SoleConsumer(out);
      ir::Value* result = out;
      if (ScaledOperand(after, &f) >= 0 && after->output(0) && SameType(after->output(0), out)) {
        alpha *= f;
        result = after->output(0);
        absorbed.push_back(after);
      }
      if (absorbed.empty()) continue;
      std::string name = mm->name(), result_name = result->name(), a = inputs[0]->name(), b = inputs[1]->name();
      for (ir::Node* n : absorbed) graph.RemoveNode(n);
      graph.RemoveNode(mm);
      graph.AddNode(name, "FusedMatMul", "com.onyx", ir::kOnyxDomainOpset, {a, b}, {result_name}, {{"alpha", FloatAttr("alpha", alpha)}});
      ++rewrites;
    }
    return rewrites;
  }

 private:
  // The Mul must not broadcast to a larger rank (a scalar constant of higher rank would).
  static bool SameType(const ir::Value* a, const ir::Value* b) {
    return a->type().shape && b->type().shape && a->type().shape->size() == b->type().shape->size();
  }
};

ONYX_REGISTER_PASS(Level::kExtended, 45, FuseMatMulScale);

}  // namespace
}  // namespace onyx::opt
