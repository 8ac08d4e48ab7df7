// Conv, Gemm or MatMul (or a com.onyx fused form of them without an activation yet) followed by an activation
// becomes one fused node of Onyx's own domain (com.onyx:FusedConv/FusedGemm/FusedMatMul, see
// docs/FUSED_OPERATORS.md), which applies the activation to the result in place. SiLU, x * Sigmoid(x), is taken
// as one activation (Silu).
#include "ir/op_schema.h"
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

// Reads the activation a node applies; false when it is not one we fuse.
bool ReadActivation(const ir::Node& act, std::string* name, std::vector<float>* params) {
  if (!act.domain().empty()) return false;
  const std::string& op = act.op_type();
  auto attr_f = [&](const char* n, float def) {
    const ir::Attribute* a = act.attribute(n);
    return a ? a->f : def;
  };
  *name = op;
  params->clear();
  if (op == "Relu" || op == "Sigmoid" || op == "Tanh" || op == "HardSwish") return true;
  if (op == "LeakyRelu") {
    params->push_back(attr_f("alpha", 0.01f));
    return true;
  }
  if (op == "HardSigmoid") {
    params->push_back(attr_f("alpha", 0.2f));
    params->push_back(attr_f("beta", 0.5f));
    return true;
  }
  if (op == "Clip") {
    float lo = -3.4028234663852886e38f, hi = 3.4028234663852886e38f;
    if (act.opset() < 11) {
      lo = attr_f("min", lo);
      hi = attr_f("max", hi);
    } else {
      for (size_t i : {size_t{1}, size_t{2}}) {
        if (!act.input(i)) continue;
        const Tensor* t = ConstantInput(act, i);
        if (!t || t->type() != DataType::kFloat || t->size() != 1) return false;
        (i == 1 ? lo : hi) = t->data<float>()[0];
      }
    }
    params->push_back(lo);
    params->push_back(hi);
    return true;
  }
  return false;
}

// SiLU written out, x * Sigmoid(x) (YOLO's and EfficientNet's activation): the Mul when `out` is read by exactly a
// Sigmoid and that Mul, which also reads the Sigmoid's result (read by nothing else); null otherwise.
ir::Node* SiluOf(const ir::Value* out) {
  if (out->is_graph_output() || out->consumers().size() != 2) return nullptr;
  ir::Node* sig = nullptr;
  ir::Node* mul = nullptr;
  for (ir::Node* n : out->consumers()) {
    if (n->domain().empty() && n->op_type() == "Sigmoid" && n->input(0) == out) sig = n;
    if (n->domain().empty() && n->op_type() == "Mul" && n->inputs().size() == 2) mul = n;
  }
  if (!sig || !mul || !sig->output(0) || SoleConsumer(sig->output(0)) != mul) return nullptr;
  const bool paired = (mul->input(0) == out && mul->input(1) == sig->output(0)) ||
                      (mul->input(1) == out && mul->input(0) == sig->output(0));
  return paired && mul->output(0) ? mul : nullptr;
}

class FuseActivation final : public GraphPass {
 public:
  std::string name() const override { return "FuseActivation"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    int rewrites = 0;
    std::vector<ir::Node*> bases;
    for (const auto& n : graph.nodes()) {
      const std::string& op = n->op_type();
      if (n->domain().empty() && (op == "Conv" || op == "Gemm" || op == "MatMul")) bases.push_back(n.get());
      // A fused node without an activation yet (a residual FusedConv, a scaled FusedMatMul) can take one.
      const ir::Attribute* has = n->attribute("activation");
      if (n->domain() == "com.onyx" && (op == "FusedConv" || op == "FusedGemm" || op == "FusedMatMul") &&
          (has == nullptr || has->s.empty())) {
        bases.push_back(n.get());
      }
    }
    for (ir::Node* base : bases) {
      const ir::Value* out = base->output(0);
      if (!out || out->type().elem_type != DataType::kFloat) continue;
      ir::Node* act = SoleConsumer(out);
      std::string activation;
      std::vector<float> params;
      if (act) {
        if (act->input(0) != out || !ReadActivation(*act, &activation, &params)) continue;
      } else if ((act = SiluOf(out)) != nullptr) {
        activation = "Silu";
      } else {
        continue;
      }
      std::string fused_op = base->domain().empty() ? "Fused" + base->op_type() : base->op_type();
      if (!CanProduce(ctx, graph, "com.onyx", fused_op)) continue;
      std::map<std::string, ir::Attribute> attrs = base->attributes();
      ir::Attribute a;
      a.name = "activation";
      a.type = ir::AttrType::kString;
      a.s = activation;
      attrs["activation"] = a;
      ir::Attribute p;
      p.name = "activation_params";
      p.type = ir::AttrType::kFloats;
      p.floats = params;
      attrs["activation_params"] = p;
      std::vector<std::string> inputs;
      for (const ir::Value* v : base->inputs()) inputs.push_back(v ? v->name() : std::string());
      std::string result = act->output(0)->name(), node_name = base->name();
      if (activation == "Silu")
        graph.RemoveNode(act->input(0) == out ? act->input(1)->producer() : act->input(0)->producer());
      graph.RemoveNode(act);
      graph.RemoveNode(base);
      graph.AddNode(node_name, fused_op, "com.onyx", ir::kOnyxDomainOpset, inputs, {result}, std::move(attrs));
      ++rewrites;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kExtended, 10, FuseActivation);

}  // namespace
}  // namespace onyx::opt
