// Removes nodes that pass their input through unchanged: a Cast to the type it already has, a Reshape, Expand
// or full Slice whose output shape equals its input shape, an identity Transpose, a Pad or Tile that adds
// nothing, and Concat/Sum/Max/Min/Mean of a single input.
#include <numeric>

#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

// True when every element of the constant integer tensor equals `v`.
bool AllEqual(const Tensor* t, int64_t v) {
  if (t == nullptr) return false;
  if (t->type() == DataType::kInt64) {
    for (int64_t x : t->values<int64_t>()) {
      if (x != v) return false;
    }
    return true;
  }
  if (t->type() == DataType::kInt32) {
    for (int32_t x : t->values<int32_t>()) {
      if (x != v) return false;
    }
    return true;
  }
  return false;
}

bool SameStaticShape(const ir::Node& node) {
  auto in = StaticShape(node.input(0));
  auto out = StaticShape(node.output(0));
  return in && out && *in == *out;
}

bool IsNoOp(const ir::Node& node) {
  const std::string& op = node.op_type();
  const ir::Value* in = node.input(0);
  const ir::Value* out = node.output(0);
  if (!in || !out || !in->type().is_tensor() || node.outputs().size() != 1) return false;
  if (op == "Cast") {
    return in->type().elem_type != DataType::kUndefined &&
           static_cast<int64_t>(in->type().elem_type) == AttrInt(node, "to", -1);
  }
  if (op == "CastLike") {
    return node.input(1) && in->type().elem_type != DataType::kUndefined &&
           in->type().elem_type == node.input(1)->type().elem_type;
  }
  if (op == "Reshape" || op == "Expand") return SameStaticShape(node);
  if (op == "Transpose") {
    const ir::Attribute* perm = node.attribute("perm");
    if (perm == nullptr) {
      // The default reverses the axes: a no-op only for rank 0 or 1.
      return in->type().shape && in->type().shape->size() <= 1;
    }
    for (size_t i = 0; i < perm->ints.size(); ++i) {
      if (perm->ints[i] != static_cast<int64_t>(i)) return false;
    }
    return true;
  }
  if (op == "Slice") {
    // Same shape with unit steps takes every element in order (a step of -1 would reverse).
    if (node.opset() >= 10 && node.input(4) && !AllEqual(ConstantInput(node, 4), 1)) return false;
    return SameStaticShape(node);
  }
  if (op == "Pad") {
    if (node.opset() >= 11) return AllEqual(ConstantInput(node, 1), 0);
    const ir::Attribute* pads = node.attribute(node.opset() >= 2 ? "pads" : "paddings");
    if (pads == nullptr) return false;
    for (int64_t p : pads->ints) {
      if (p != 0) return false;
    }
    return true;
  }
  if (op == "Tile") return AllEqual(ConstantInput(node, 1), 1) && SameStaticShape(node);
  if (op == "Concat" || op == "Sum" || op == "Max" || op == "Min" || op == "Mean") {
    return node.inputs().size() == 1 && in->type().elem_type == out->type().elem_type;
  }
  return false;
}

class EliminateNoOp final : public GraphPass {
 public:
  std::string name() const override { return "EliminateNoOp"; }
  Result<int> Run(ir::Graph& graph, const PassContext&) const override {
    std::vector<ir::Node*> candidates;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && IsNoOp(*n)) candidates.push_back(n.get());
    }
    int rewrites = 0;
    for (ir::Node* node : candidates) {
      if (BypassNode(graph, node, node->input(0), node->output(0))) ++rewrites;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kBasic, 12, EliminateNoOp);

}  // namespace
}  // namespace onyx::opt
