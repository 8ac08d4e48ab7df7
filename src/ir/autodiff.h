// Symbolic reverse-mode differentiation: ai.onnx.preview.training Gradient nodes become explicit backward
// nodes built from ordinary ai.onnx operators, so the executor never sees a Gradient node and no kernel is
// needed for it.
//
// Broadcasting: a gradient is reduced back to its operand's shape with ReduceSum. When the static shapes
// decide which axes were broadcast (the usual case after shape inference), the axes are constants; when a
// dim of the operand is unknown, the axes are computed at run time (NonZero(Equal(Shape(x), 1))), which
// needs ai.onnx opset 13 (ReduceSum with axes as an input). Either way the ranks must be known.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/status.h"
#include "ir/graph.h"

namespace onyx::ir {

// True when the graph or one of its subgraphs holds a Gradient node.
bool HasGradientNodes(const Graph& graph);

// Replaces every Gradient node of the main graph by the nodes computing its outputs. Types and shapes must
// have been inferred first (ranks drive several rules); run InferShapes again afterwards. Fails naming the
// Gradient node for an operator without a gradient rule on the differentiated path, an unknown or
// non-floating-point x or y, or a Gradient inside a subgraph.
Status ExpandGradients(Graph& graph);

namespace autodiff {

// Emits backward nodes into the graph for one Gradient node. Shared by the driver and the rules.
class Builder {
 public:
  // `describe` names the Gradient node in errors; `base` prefixes the names of the values made.
  Builder(Graph& graph, std::string describe, std::string base, int64_t opset)
      : graph_(graph), describe_(std::move(describe)), base_(std::move(base)), opset_(opset) {}
  int64_t opset() const { return opset_; }
  Graph& graph() { return graph_; }

  // A new ai.onnx node with fresh output names; its shape inference runs at once so later rules see types.
  Value* Op(const std::string& op_type, const std::vector<Value*>& inputs, std::map<std::string, Attribute> attrs = {});
  std::vector<Value*> OpN(const std::string& op_type, const std::vector<Value*>& inputs, size_t n_outputs,
                          std::map<std::string, Attribute> attrs = {});
  // A copy of a forward node reading `inputs` instead of its own, writing fresh values.
  std::vector<Value*> Clone(const Node& node, const std::vector<Value*>& inputs);
  bool created(const Value* v) const { return created_.count(v) > 0; }

  // Constants.
  Value* Scalar(DataType type, double v);
  Value* Int64s(const std::vector<int64_t>& v);

  // Version-aware forms of operators whose signature changed between opsets.
  Value* ReduceSum(Value* v, const std::vector<int64_t>& axes, bool keepdims);
  Value* Unsqueeze(Value* v, const std::vector<int64_t>& axes);
  Value* Transpose(Value* v, const std::vector<int64_t>& perm);
  Value* Cast(Value* v, DataType to);
  Value* Shape(Value* v) { return Op("Shape", {v}); }
  // Reshape(v, Shape(like)).
  Value* ReshapeLike(Value* v, Value* like);
  // A tensor of `fill` with like's shape and the given element type.
  Value* Fill(Value* like, DataType type, double fill);
  // alpha * op(a) @ op(b) for 2-D a and b (Gemm where the opset allows it).
  Value* MatMul2D(Value* a, bool trans_a, Value* b, bool trans_b, float alpha);

  // Sums `grad` over the axes along which `target` was broadcast to produce it, giving target's shape.
  Result<Value*> ReduceToShape(Value* grad, Value* target);

  // An error naming the Gradient node.
  template <typename... Args>
  Status Error(const Args&... args) const {
    return InvalidGraph(describe_, ": ", args...);
  }

 private:
  Graph& graph_;
  std::string describe_, base_;
  int64_t opset_;
  std::unordered_set<const Value*> created_;
};

// What a rule sees: the forward node, the gradient flowing into each of its outputs (null when none flows),
// and which inputs need a gradient.
struct RuleContext {
  Builder& b;
  const Node& node;
  std::vector<Value*> dy;
  std::vector<bool> need;
  // Input i's static rank, or an error naming the node.
  Result<size_t> Rank(size_t i) const;
  DataType ElemType(size_t i) const;
};

// Returns one gradient per input (null: none, or zero). Only the inputs marked in `need` must be filled.
using Rule = std::function<Result<std::vector<Value*>>(RuleContext&)>;

// The gradient rule of an ai.onnx operator, or null when there is none.
const Rule* FindRule(const std::string& op_type);

// Runs the registered shape inference of one node, ignoring failures.
void RunInference(Node& node);

// Attribute constructors.
Attribute IntAttr(const std::string& name, int64_t v);
Attribute IntsAttr(const std::string& name, std::vector<int64_t> v);
Attribute FloatAttr(const std::string& name, float v);
Attribute TensorAttr(const std::string& name, Tensor t);
// A rank-0 tensor of `type` holding v (float types only, plus int64).
Tensor ScalarTensor(DataType type, double v, const std::vector<int64_t>& shape = {});
// The value of v when it is a constant that cannot be overridden at run time, or null.
const Tensor* ConstantValue(const Value* v);
// Floating-point types gradients are defined for.
bool IsDifferentiableType(DataType t);

}  // namespace autodiff
}  // namespace onyx::ir
