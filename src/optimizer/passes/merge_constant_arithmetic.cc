// Arithmetic with constants is simplified on floating-point values: x / c becomes x * (1/c) (a multiply is
// cheaper than a divide, and it lets the next rules apply), x - c becomes x + (-c), and chains
// (x * c1) * c2 and (x + c1) + c2 become x * (c1*c2) and x + (c1+c2), the constants computed once.
#include "framework/kernel_registry.h"
#include "optimizer/graph_pass.h"
#include "optimizer/node_evaluator.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

bool IsFloating(DataType t) { return t == DataType::kFloat || t == DataType::kDouble; }

// For a binary node with exactly one constant operand: the index of that operand.
int ConstantOperand(const ir::Node& node) {
  if (node.inputs().size() != 2 || !node.input(0) || !node.input(1)) return -1;
  const bool c0 = ConstantInput(node, 0) != nullptr, c1 = ConstantInput(node, 1) != nullptr;
  if (c0 == c1) return -1;
  return c0 ? 0 : 1;
}

class MergeConstantArithmetic final : public GraphPass {
 public:
  std::string name() const override { return "MergeConstantArithmetic"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    if (ctx.kernels == nullptr) return 0;
    int rewrites = 0;
    ONYX_ASSIGN_OR_RETURN(std::vector<ir::Node*> order, graph.TopologicalOrder());
    for (ir::Node* node : order) {
      const std::string& op = node->op_type();
      if (!node->domain().empty() || (op != "Div" && op != "Sub" && op != "Mul" && op != "Add")) continue;
      const int k = ConstantOperand(*node);
      const ir::Value* out = node->output(0);
      if (k < 0 || !out || !IsFloating(out->type().elem_type)) continue;
      const Tensor* c = ConstantInput(*node, static_cast<size_t>(k));
      if (c->type() != out->type().elem_type) continue;
      if (op == "Div" || op == "Sub") {
        if (k != 1) continue;  // c / x and c - x have no cheaper form
        auto inverse = EvaluateOp(op == "Div" ? "Reciprocal" : "Neg", 13, {c}, *ctx.kernels);
        if (!inverse.ok()) continue;
        ONYX_RETURN_IF_ERROR(Replace(graph, node, op == "Div" ? "Mul" : "Add", node->input(0), inverse.take()));
        ++rewrites;
        continue;
      }
      // (x op c1) op c2, where nothing else reads x op c1.
      ir::Node* inner = node->input(1 - k)->producer();
      if (!inner || inner->op_type() != op || !inner->domain().empty() || SoleConsumer(inner->output(0)) != node)
        continue;
      const int k1 = ConstantOperand(*inner);
      if (k1 < 0) continue;
      const Tensor* c1 = ConstantInput(*inner, static_cast<size_t>(k1));
      if (c1->type() != c->type()) continue;
      auto merged = EvaluateOp(op, 14, {c1, c}, *ctx.kernels);
      if (!merged.ok()) continue;
      ir::Value* x = inner->input(static_cast<size_t>(1 - k1));
      graph.RemoveNode(inner);
      ONYX_RETURN_IF_ERROR(Replace(graph, node, op, x, merged.take()));
      ++rewrites;
    }
    return rewrites;
  }

 private:
  // Replaces `node` by `op`(x, c), writing the same output. `op` is taken by value: the caller passes the node's
  // own op_type(), which RemoveNode frees before AddNode reads it (ASan: heap-use-after-free in onyx_tests).
  static Status Replace(ir::Graph& graph, ir::Node* node, std::string op, ir::Value* x, Tensor c) {
    ONYX_ASSIGN_OR_RETURN(ir::Value * cv, graph.AddConstant(node->name() + "_const", std::move(c)));
    std::string name = node->name(), out = node->output(0)->name(), x_name = x->name();
    int64_t opset = node->opset();
    graph.RemoveNode(node);
    graph.AddNode(name, op, "", opset, {x_name, cv->name()}, {out}, {});
    return Status::Ok();
  }
};

ONYX_REGISTER_PASS(Level::kBasic, 45, MergeConstantArithmetic);

}  // namespace
}  // namespace onyx::opt
