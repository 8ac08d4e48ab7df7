// QDQ fusion of the element-wise, pooling and joining operators (level extended, after QdqFusion): the float
// operator between per-tensor DequantizeLinear inputs and one per-tensor QuantizeLinear reader becomes the
// com.microsoft operator that computes it on the 8-bit values, as onnxruntime's QDQ transformer does:
//   Add (or Sum of two), Mul    => QLinearAdd, QLinearMul
//   Concat                      => QLinearConcat
//   AveragePool, GlobalAveragePool => QLinearAveragePool, QLinearGlobalAveragePool
//   Sigmoid, LeakyRelu, Softmax => QLinearSigmoid, QLinearLeakyRelu, QLinearSoftmax
// Inputs and output share one 8-bit type. The same refusals as QdqFusion apply (constant parameters, no DQ or Q
// output or float output that is a graph output, no other reader of the float output), and an operator is
// produced only where the kernel registry runs it for that type, so a build without these kernels keeps the float
// operators.
#include <set>

#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"
#include "optimizer/qdq_util.h"

namespace onyx::opt {
namespace {

using qdq::QParams;

const std::map<std::string, std::string>& FusedOps() {
  static const std::map<std::string, std::string> k = {
      {"Add", "QLinearAdd"},
      {"Mul", "QLinearMul"},
      {"Sum", "QLinearAdd"},  // of two inputs: the residual joins of older exports (ResNet-50's)
      {"Concat", "QLinearConcat"},
      {"AveragePool", "QLinearAveragePool"},
      {"GlobalAveragePool", "QLinearGlobalAveragePool"},
      {"Sigmoid", "QLinearSigmoid"},
      {"LeakyRelu", "QLinearLeakyRelu"},
      {"Softmax", "QLinearSoftmax"},
  };
  return k;
}

class QdqElementwiseFusion final : public GraphPass {
 public:
  std::string name() const override { return "QdqElementwiseFusion"; }
  bool NeedsDequantizeUnfolded() const override { return true; }

  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    std::vector<ir::Node*> candidates;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && FusedOps().count(n->op_type())) candidates.push_back(n.get());
    }
    int rewrites = 0;
    for (ir::Node* n : candidates) {
      ONYX_ASSIGN_OR_RETURN(bool done, Fuse(graph, ctx, n));
      rewrites += done ? 1 : 0;
    }
    return rewrites;
  }

 private:
  static Result<bool> Fuse(ir::Graph& graph, const PassContext& ctx, ir::Node* n) {
    const std::string& op = n->op_type();
    const std::string& fused = FusedOps().at(op);
    if (n->outputs().size() != 1 || !n->output(0) || n->inputs().empty()) return false;
    const bool binary = op == "Add" || op == "Mul" || op == "Sum";
    if (binary && n->inputs().size() != 2) return false;
    if (!binary && op != "Concat" && n->inputs().size() != 1) return false;
    std::vector<QParams> ins;
    for (const ir::Value* v : n->inputs()) {
      std::optional<QParams> p = v ? qdq::DequantizeOf(v) : std::nullopt;
      if (!p || !p->per_tensor() || v->is_graph_output()) return false;
      ins.push_back(*p);
    }
    std::optional<QParams> y = qdq::SoleQuantizeOf(n->output(0));
    if (!y || !y->per_tensor() || y->node->output(0)->is_graph_output()) return false;
    for (const QParams& p : ins) {
      if (p.type != y->type) return false;
    }
    std::map<std::string, ir::Attribute> attrs;
    if (!Attributes(*n, &attrs)) return false;
    // QLinearConcat takes its output parameters first, then (X, scale, zero point) per input; the others take
    // each input's triple, then the output's scale and zero point.
    std::vector<DataType> types;
    auto add_types = [&](DataType t) { types.insert(types.end(), {t, DataType::kFloat, t}); };
    if (op == "Concat") {
      types = {DataType::kFloat, y->type};
      for (const QParams& p : ins) add_types(p.type);
    } else {
      for (const QParams& p : ins) add_types(p.type);
      types.insert(types.end(), {DataType::kFloat, y->type});
    }
    if (!qdq::CanRun(ctx, graph, "com.microsoft", fused, types)) return false;

    std::vector<std::string> inputs;
    ONYX_ASSIGN_OR_RETURN(auto ys, qdq::ScaleAndZeroPoint(graph, *y));
    if (op == "Concat") inputs = {ys.first, ys.second};
    for (const QParams& p : ins) {
      ONYX_ASSIGN_OR_RETURN(auto s, qdq::ScaleAndZeroPoint(graph, p));
      inputs.insert(inputs.end(), {p.node->input(0)->name(), s.first, s.second});
    }
    if (op != "Concat") inputs.insert(inputs.end(), {ys.first, ys.second});

    const std::string name = n->name(), out = y->node->output(0)->name();
    auto it = graph.opsets().find("com.microsoft");
    const int64_t opset = it == graph.opsets().end() ? 1 : it->second;
    graph.RemoveNode(y->node);
    graph.RemoveNode(n);
    graph.AddNode(name, fused, "com.microsoft", opset, inputs, {out}, std::move(attrs));
    std::set<ir::Node*> seen;
    for (const QParams& p : ins) {
      if (seen.insert(p.node).second) qdq::RemoveIfUnused(graph, p.node);
    }
    return true;
  }

  // The fused operator's attributes, or false when the float operator uses one the fused operator lacks.
  static bool Attributes(const ir::Node& n, std::map<std::string, ir::Attribute>* attrs) {
    const std::string& op = n.op_type();
    auto copy = [&](const std::set<std::string>& allowed) {
      for (const auto& [k, a] : n.attributes()) {
        if (!allowed.count(k)) return false;
        (*attrs)[k] = a;
      }
      return true;
    };
    if (op == "Add" || op == "Mul" || op == "Sum" || op == "Sigmoid") return copy({});
    if (op == "Concat") return copy({"axis"});
    if (op == "LeakyRelu") return copy({"alpha"});
    if (op == "GlobalAveragePool") {
      (*attrs)["channels_last"] = IntAttr("channels_last", 0);
      return copy({});
    }
    if (op == "AveragePool") {
      if (const ir::Attribute* d = n.attribute("dilations")) {
        for (int64_t v : d->ints) {
          if (v != 1) return false;
        }
      }
      (*attrs)["channels_last"] = IntAttr("channels_last", 0);
      for (const auto& [k, a] : n.attributes()) {
        if (k == "dilations") continue;
        if (k != "auto_pad" && k != "ceil_mode" && k != "count_include_pad" && k != "kernel_shape" && k != "pads" &&
            k != "strides")
          return false;
        (*attrs)[k] = a;
      }
      return true;
    }
    if (op == "Softmax") {
      // The fused operator follows the float one's opset (softmax over the last axis from 13, over the flattened
      // trailing axes before), which it is told through `opset`.
      (*attrs)["axis"] = IntAttr("axis", AttrInt(n, "axis", n.opset() >= 13 ? -1 : 1));
      (*attrs)["opset"] = IntAttr("opset", n.opset());
      return true;
    }
    return false;
  }
};

ONYX_REGISTER_PASS(Level::kExtended, 3, QdqElementwiseFusion);

}  // namespace
}  // namespace onyx::opt
