// Layout pass (level all): Transposes move down the graph through operators that do not care about the
// order of axes — element-wise unary operators, element-wise binary operators whose other operand is a
// constant (transposed once, here) or the same Transpose, Concat of equally transposed inputs — and two
// Transposes that meet become one (or none, when they cancel). Models exported from TensorFlow in NHWC are
// full of Transpose pairs around such operators; after this pass they cancel.
#include <set>

#include "framework/kernel_registry.h"
#include "optimizer/graph_pass.h"
#include "optimizer/node_evaluator.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

const std::set<std::string>& UnaryOps() {
  static const std::set<std::string> k = {
      "Relu",       "LeakyRelu", "Sigmoid",  "HardSigmoid", "HardSwish", "Tanh", "Elu",  "Selu",
      "Celu",       "Softplus",  "Softsign", "Abs",         "Neg",       "Exp",  "Log",  "Sqrt",
      "Reciprocal", "Floor",     "Ceil",     "Round",       "Sign",      "Erf",  "Not",  "Cast",
      "Sin",        "Cos",       "Clip",     "IsNaN",       "IsInf",     "Mish", "Gelu", "ThresholdedRelu",
      "Shrink"};
  return k;
}
const std::set<std::string>& BinaryOps() {
  static const std::set<std::string> k = {"Add", "Sub",   "Mul",  "Div",     "Pow",         "Max",
                                          "Min", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual",
                                          "And", "Or",    "Xor",  "PRelu",   "BitShift"};
  return k;
}

bool ValidPerm(const std::vector<int64_t>& p) {
  std::vector<bool> seen(p.size(), false);
  for (int64_t v : p) {
    if (v < 0 || v >= static_cast<int64_t>(p.size()) || seen[static_cast<size_t>(v)]) return false;
    seen[static_cast<size_t>(v)] = true;
  }
  return true;
}

std::vector<int64_t> Inverse(const std::vector<int64_t>& p) {
  std::vector<int64_t> q(p.size());
  for (size_t i = 0; i < p.size(); ++i) q[static_cast<size_t>(p[i])] = static_cast<int64_t>(i);
  return q;
}

// The Transpose producing v, when v is read by nobody else, with its valid permutation.
ir::Node* SoleTranspose(const ir::Value* v, ir::Node* reader, std::vector<int64_t>* perm) {
  ir::Node* t = v ? v->producer() : nullptr;
  if (!t || t->op_type() != "Transpose" || !t->domain().empty() || !t->input(0) || SoleConsumer(v) != reader)
    return nullptr;
  *perm = TransposePerm(*t);
  if (perm->empty() || !ValidPerm(*perm)) return nullptr;
  return t;
}

class PushTransposes final : public GraphPass {
 public:
  std::string name() const override { return "PushTransposes"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    if (!CanProduce(ctx, graph, "", "Transpose")) return 0;
    int rewrites = 0;
    // One rewrite at a time, restarting the scan: each changes the neighbourhood of the next.
    for (int budget = 10000; budget > 0; --budget) {
      ONYX_ASSIGN_OR_RETURN(bool changed, RewriteOne(graph, ctx));
      if (!changed) break;
      ++rewrites;
    }
    return rewrites;
  }

 private:
  static Result<bool> RewriteOne(ir::Graph& graph, const PassContext& ctx) {
    ONYX_ASSIGN_OR_RETURN(std::vector<ir::Node*> order, graph.TopologicalOrder());
    for (ir::Node* node : order) {
      if (!node->domain().empty() || !node->output(0) || node->outputs().size() != 1) continue;
      const std::string& op = node->op_type();
      std::vector<int64_t> p;
      if (op == "Transpose") {
        // Transpose of a Transpose: one permutation. Cancelling pairs are the basic level's.
        ir::Node* inner = SoleTranspose(node->input(0), node, &p);
        std::vector<int64_t> p2 = TransposePerm(*node);
        if (!inner || p2.size() != p.size() || !ValidPerm(p2)) continue;
        std::vector<int64_t> composed(p.size());
        for (size_t i = 0; i < p.size(); ++i) composed[i] = p[static_cast<size_t>(p2[i])];
        ir::Value* x = inner->input(0);
        ir::Value* y = node->output(0);
        std::string name = node->name();
        graph.RemoveNode(node);
        graph.RemoveNode(inner);
        graph.AddNode(name, "Transpose", "", graph.opsets().at(""), {x->name()}, {y->name()},
                      {{"perm", IntsAttr("perm", composed)}});
        return true;
      }
      if (UnaryOps().count(op) && node->input(0)) {
        ir::Node* t = SoleTranspose(node->input(0), node, &p);
        if (!t) continue;
        // Clip's bounds and other extra inputs are scalars: they do not depend on the layout.
        bool scalar_extras = true;
        for (size_t i = 1; i < node->inputs().size(); ++i) {
          const ir::Value* v = node->input(i);
          if (v && (!v->type().shape || !v->type().shape->empty())) scalar_extras = false;
        }
        if (!scalar_extras) continue;
        std::vector<ir::Value*> inputs = node->inputs();
        inputs[0] = t->input(0);
        Rebuild(graph, node, {t}, inputs, node->attributes(), p);
        return true;
      }
      if (BinaryOps().count(op) && node->inputs().size() == 2 && node->input(0) && node->input(1)) {
        ONYX_ASSIGN_OR_RETURN(bool done, PushThroughBinary(graph, node, ctx));
        if (done) return true;
        continue;
      }
      if (op == "Concat" && !node->inputs().empty()) {
        std::vector<ir::Value*> inputs;
        std::vector<int64_t> first;
        ir::Node* t0 = nullptr;
        bool all = true;
        for (ir::Value* in : node->inputs()) {
          ir::Node* t = SoleTranspose(in, node, &p);
          if (!t || (t0 && p != first)) {
            all = false;
            break;
          }
          if (!t0) t0 = t, first = p;
          inputs.push_back(t->input(0));
        }
        if (!all || !t0) continue;
        int64_t axis = AttrInt(*node, "axis", 0);
        const int64_t rank = static_cast<int64_t>(p.size());
        if (axis < 0) axis += rank;
        if (axis < 0 || axis >= rank) continue;
        std::map<std::string, ir::Attribute> attrs = node->attributes();
        attrs["axis"].i = p[static_cast<size_t>(axis)];
        std::vector<ir::Node*> transposes;
        for (ir::Value* in : node->inputs()) transposes.push_back(in->producer());
        Rebuild(graph, node, transposes, inputs, std::move(attrs), p);
        return true;
      }
    }
    return false;
  }

  static Result<bool> PushThroughBinary(ir::Graph& graph, ir::Node* node, const PassContext& ctx) {
    std::vector<int64_t> pa, pb;
    ir::Node* ta = SoleTranspose(node->input(0), node, &pa);
    ir::Node* tb = SoleTranspose(node->input(1), node, &pb);
    if (ta && tb && pa == pb) {
      Rebuild(graph, node, {ta, tb}, {ta->input(0), tb->input(0)}, node->attributes(), pa);
      return true;
    }
    // One transposed operand, the other a constant: transpose the constant the other way, once.
    for (int k = 0; k < 2; ++k) {
      ir::Node* t = k == 0 ? ta : tb;
      const std::vector<int64_t>& p = k == 0 ? pa : pb;
      const Tensor* c = ConstantInput(*node, static_cast<size_t>(1 - k));
      if (!t || !c || c->rank() > static_cast<int64_t>(p.size()) || ctx.kernels == nullptr) continue;
      if (node->op_type() == "PRelu" && k == 1) continue;  // PRelu's slope is the second operand only
      Shape full(p.size() - static_cast<size_t>(c->rank()), 1);
      for (int64_t d : c->shape()) full.push_back(d);
      Tensor expanded = c->Reshaped(full);
      auto moved = EvaluateOp("Transpose", 13, {&expanded}, *ctx.kernels, {{"perm", IntsAttr("perm", Inverse(p))}});
      if (!moved.ok()) continue;
      ONYX_ASSIGN_OR_RETURN(ir::Value * cv,
                            graph.AddConstant(node->input(static_cast<size_t>(1 - k))->name() + "_t", moved.take()));
      std::vector<ir::Value*> inputs = {node->input(0), node->input(1)};
      inputs[static_cast<size_t>(k)] = t->input(0);
      inputs[static_cast<size_t>(1 - k)] = cv;
      Rebuild(graph, node, {t}, inputs, node->attributes(), p);
      return true;
    }
    return false;
  }

  // Replaces `node` (whose transposed inputs came from `transposes`) by the same operator on `inputs`,
  // followed by one Transpose with permutation p that writes the node's original output.
  static void Rebuild(ir::Graph& graph, ir::Node* node, const std::vector<ir::Node*>& transposes,
                      const std::vector<ir::Value*>& inputs, std::map<std::string, ir::Attribute> attrs,
                      const std::vector<int64_t>& p) {
    ir::Value* y = node->output(0);
    const std::string mid = graph.UniqueName(y->name() + "_untransposed");
    std::vector<std::string> names;
    for (const ir::Value* v : inputs) names.push_back(v ? v->name() : std::string());
    const std::string name = node->name(), op = node->op_type(), y_name = y->name();
    const int64_t opset = node->opset();
    ir::Type mid_type = y->type();
    if (mid_type.shape && mid_type.shape->size() == p.size()) {
      ir::SymShape s(p.size());
      for (size_t i = 0; i < p.size(); ++i) s[static_cast<size_t>(p[i])] = (*y->type().shape)[i];
      mid_type.shape = s;
    } else {
      mid_type.shape.reset();
    }
    graph.RemoveNode(node);
    for (ir::Node* t : transposes) graph.RemoveNode(t);
    graph.AddNode(name, op, "", opset, names, {mid}, std::move(attrs));
    graph.FindValue(mid)->set_type(mid_type);
    graph.AddNode(graph.UniqueName(name + "_transpose"), "Transpose", "", graph.opsets().at(""), {mid}, {y_name},
                  {{"perm", IntsAttr("perm", p)}});
  }
};

ONYX_REGISTER_PASS(Level::kAll, 10, PushTransposes);

}  // namespace
}  // namespace onyx::opt
