// The GELU activation as exporters write it out, in either of its two forms, becomes one com.onyx:Gelu node
// (docs/FUSED_OPERATORS.md):
//   exact: 0.5 * x * (1 + Erf(x / sqrt 2))                                   -> approximate = "none"
//   tanh:  0.5 * x * (1 + Tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))           -> approximate = "tanh"
// x / sqrt 2 may be Mul(x, 1/sqrt 2) (the basic level turns divisions by constants into products), x^3 may be
// Pow(x, 3) or x * (x * x), or 0.044715 x^3 a chain of Muls in any order (JAX: x * (x * (0.044715 * x))), the outer product may be associated in any of the three ways ((x * (1+e)) * 0.5,
// (0.5 * (1+e)) * x, (0.5 * x) * (1+e)), with a halving Mul(., 0.5) or Div(., 2), and every Add and Mul may
// have its operands either way round (a two-input Sum counts as an Add). The 0.5 may also have been moved into a
// following com.onyx:FusedMatMul by FuseMatMulScale; it is then given back (that node's alpha doubles, and a plain
// MatMul returns when alpha becomes 1 with nothing else fused). Constants must be within 1e-4 (relative) of the exact
// values; every intermediate value must be read only by the next node of the pattern.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "ir/op_schema.h"
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

bool IsOp(const ir::Node* n, const char* op) { return n != nullptr && n->domain().empty() && n->op_type() == op; }

// Add, or a Sum of two (how the ONNX function body of Gelu writes its additions).
bool IsAdd(const ir::Node* n) {
  return (IsOp(n, "Add") || IsOp(n, "Sum")) && n->inputs().size() == 2 && n->input(0) && n->input(1);
}

bool Near(float value, double expected) { return std::abs(value - expected) <= 1e-4 * std::abs(expected); }

int64_t RankOf(const ir::Value* v) {
  if (v == nullptr || !v->type().is_tensor() || !v->type().shape) return -1;
  return static_cast<int64_t>(v->type().shape->size());
}

// Input `i` of a binary node is a float constant holding one value close to `expected`, and broadcasting it
// cannot change the other operand's shape.
bool IsScalarInput(const ir::Node& node, size_t i, double expected) {
  const Tensor* t = ConstantInput(node, i);
  if (t == nullptr || t->type() != DataType::kFloat || t->size() != 1) return false;
  const int64_t other_rank = RankOf(node.input(1 - i));
  if (t->rank() > std::max<int64_t>(other_rank, 0)) return false;
  return Near(t->data<float>()[0], expected);
}

// The operand of a commutative binary node that is not `v`, or null when `v` is not an operand.
ir::Value* OtherOperand(const ir::Node& node, const ir::Value* v) {
  if (node.inputs().size() != 2) return nullptr;
  if (node.input(0) == v) return node.input(1);
  if (node.input(1) == v) return node.input(0);
  return nullptr;
}

// `v` times `factor`: Mul(v, factor) either way round, or Div(v, 1 / factor).
bool IsScaling(const ir::Node* n, const ir::Value* v, double factor) {
  if (IsOp(n, "Mul") && n->inputs().size() == 2) {
    if (n->input(0) == v && IsScalarInput(*n, 1, factor)) return true;
    if (n->input(1) == v && IsScalarInput(*n, 0, factor)) return true;
  }
  return IsOp(n, "Div") && n->inputs().size() == 2 && n->input(0) == v && IsScalarInput(*n, 1, 1.0 / factor);
}

// The value that `n` scales by `factor` (n = v * factor), or null.
ir::Value* ScaledValue(const ir::Node* n, double factor) {
  if (n == nullptr || n->inputs().size() != 2) return nullptr;
  for (ir::Value* v : {n->input(0), n->input(1)}) {
    if (v != nullptr && IsScaling(n, v, factor)) return v;
  }
  return nullptr;
}

// The producer of `v` when `v` is read only by `reader`.
ir::Node* SoleProducer(const ir::Value* v, const ir::Node* reader) {
  if (v == nullptr || SoleConsumer(v) != reader) return nullptr;
  return v->producer();
}

// com.onyx:FusedMatMul reading `v` once (as either operand), or null. FuseMatMulScale, which runs earlier,
// moves the 0.5 of (x * (1 + act)) * 0.5 into a following MatMul's alpha; the GELU is still there.
ir::Node* ScaledMatMulReading(const ir::Value* v) {
  ir::Node* mm = SoleConsumer(v);
  if (mm == nullptr || mm->domain() != "com.onyx" || mm->op_type() != "FusedMatMul") return nullptr;
  if (mm->inputs().size() != 2 || (mm->input(0) == v) == (mm->input(1) == v)) return nullptr;
  const ir::Attribute* alpha = mm->attribute("alpha");
  return alpha != nullptr && alpha->type == ir::AttrType::kFloat ? mm : nullptr;
}

// Matches 0.5 * x * (1 + act) around `act` (the Erf or Tanh output). On success appends the nodes to
// `nodes` and returns the node whose output is the GELU result. When the 0.5 was moved into a following
// FusedMatMul's alpha, *half_in receives that node (which stays) and m1's output is the result.
ir::Node* MatchOuter(ir::Value* act, const ir::Value* x, std::vector<ir::Node*>* nodes, ir::Node** half_in) {
  *half_in = nullptr;
  ir::Node* add = SoleConsumer(act);
  if (!IsAdd(add)) return nullptr;
  const ir::Value* one = OtherOperand(*add, act);
  if (one == nullptr || !IsScalarInput(*add, add->input(0) == one ? 0 : 1, 1.0)) return nullptr;
  ir::Value* a = add->output(0);
  ir::Node* m1 = SoleConsumer(a);
  if (m1 == nullptr) return nullptr;
  ir::Node* result = nullptr;
  if (IsScaling(m1, a, 0.5)) {  // (0.5 * (1 + act)) * x
    ir::Node* m2 = SoleConsumer(m1->output(0));
    if (IsOp(m2, "Mul") && OtherOperand(*m2, m1->output(0)) == x) result = m2;
    if (result) nodes->insert(nodes->end(), {add, m1, m2});
  } else if (IsOp(m1, "Mul") && OtherOperand(*m1, a) == x) {  // (x * (1 + act)) * 0.5
    ir::Node* m2 = SoleConsumer(m1->output(0));
    if (IsScaling(m2, m1->output(0), 0.5)) {
      result = m2;
      nodes->insert(nodes->end(), {add, m1, m2});
    } else if ((*half_in = ScaledMatMulReading(m1->output(0))) != nullptr) {
      result = m1;
      nodes->insert(nodes->end(), {add, m1});
    }
  } else if (IsOp(m1, "Mul")) {  // (0.5 * x) * (1 + act)
    const ir::Value* half_x = OtherOperand(*m1, a);
    ir::Node* half = SoleProducer(half_x, m1);
    if (half != nullptr && ScaledValue(half, 0.5) == x) result = m1;
    if (result) nodes->insert(nodes->end(), {half, add, m1});
  }
  return result;
}

// x for Erf(x / sqrt 2), with the scaling node appended to `nodes`.
const ir::Value* MatchErfInput(ir::Node* erf, std::vector<ir::Node*>* nodes) {
  ir::Node* scale = SoleProducer(erf->input(0), erf);
  const ir::Value* x = ScaledValue(scale, 0.70710678118654752);
  if (x != nullptr) nodes->push_back(scale);
  return x;
}

// x^3 from x: Pow(x, 3), or x * (x * x) either way round.
bool IsCube(ir::Node* n, const ir::Value* x, std::vector<ir::Node*>* nodes) {
  if (IsOp(n, "Pow") && n->inputs().size() == 2 && n->input(0) == x) {
    const Tensor* e = ConstantInput(*n, 1);
    if (e == nullptr || e->size() != 1 || e->rank() > std::max<int64_t>(RankOf(x), 0)) return false;
    const bool three = (e->type() == DataType::kFloat && e->data<float>()[0] == 3.0f) ||
                       (e->type() == DataType::kInt64 && e->data<int64_t>()[0] == 3) ||
                       (e->type() == DataType::kInt32 && e->data<int32_t>()[0] == 3) ||
                       (e->type() == DataType::kDouble && e->data<double>()[0] == 3.0);
    if (three) nodes->push_back(n);
    return three;
  }
  if (!IsOp(n, "Mul")) return false;
  const ir::Value* sq = OtherOperand(*n, x);
  ir::Node* square = SoleProducer(sq, n);
  if (!IsOp(square, "Mul") || square->input(0) != x || square->input(1) != x) return false;
  nodes->insert(nodes->end(), {square, n});
  return true;
}

// 0.044715 * x^3 as a chain of Muls each taking x, the constant or both, read by `reader`: how JAX/Flax
// exports write it (x * (x * (0.044715 * x))), or any other order of the same factors.
bool IsScaledCubeChain(const ir::Value* term, ir::Node* reader, const ir::Value* x, std::vector<ir::Node*>* nodes) {
  int x_factors = 0;
  bool constant = false;
  std::vector<ir::Node*> found;
  const ir::Value* v = term;
  for (int depth = 0; depth < 3; ++depth) {
    ir::Node* n = SoleProducer(v, reader);
    if (!IsOp(n, "Mul") || n->inputs().size() != 2) return false;
    found.push_back(n);
    const ir::Value* next = nullptr;
    for (size_t i = 0; i < 2; ++i) {
      if (n->input(i) == x) {
        ++x_factors;
      } else if (!constant && IsScalarInput(*n, i, 0.044715)) {
        constant = true;
      } else if (next == nullptr) {
        next = n->input(i);
      } else {
        return false;
      }
    }
    if (next == nullptr) {
      if (x_factors != 3 || !constant) return false;
      nodes->insert(nodes->end(), found.begin(), found.end());
      return true;
    }
    v = next;
    reader = n;
  }
  return false;
}

// x for Tanh(sqrt(2/pi) * (x + 0.044715 * x^3)), with the inner nodes appended to `nodes`.
const ir::Value* MatchTanhInput(ir::Node* tanh, std::vector<ir::Node*>* nodes) {
  ir::Node* outer_scale = SoleProducer(tanh->input(0), tanh);
  if (!IsOp(outer_scale, "Mul")) return nullptr;
  const ir::Value* inner = ScaledValue(outer_scale, 0.79788456080286536);
  ir::Node* sum = SoleProducer(inner, outer_scale);
  if (!IsAdd(sum)) return nullptr;
  for (size_t i = 0; i < 2; ++i) {
    const ir::Value* x = sum->input(i);
    std::vector<ir::Node*> chain;
    if (IsScaledCubeChain(sum->input(1 - i), sum, x, &chain)) {
      nodes->insert(nodes->end(), chain.begin(), chain.end());
      nodes->insert(nodes->end(), {sum, outer_scale});
      return x;
    }
    ir::Node* cubic_scale = SoleProducer(sum->input(1 - i), sum);
    if (!IsOp(cubic_scale, "Mul")) continue;
    const ir::Value* cube = ScaledValue(cubic_scale, 0.044715);
    std::vector<ir::Node*> found;
    if (!IsCube(SoleProducer(cube, cubic_scale), x, &found)) continue;
    nodes->insert(nodes->end(), found.begin(), found.end());
    nodes->insert(nodes->end(), {cubic_scale, sum, outer_scale});
    return x;
  }
  return nullptr;
}

// Doubles a FusedMatMul's alpha, giving back the 0.5 the GELU now applies itself.
void TakeHalfBack(ir::Graph& graph, ir::Node* mm) {
  std::map<std::string, ir::Attribute> attrs = mm->attributes();
  attrs["alpha"].f *= 2.0f;
  std::vector<std::string> inputs, outputs;
  for (const ir::Value* v : mm->inputs()) inputs.push_back(v ? v->name() : std::string());
  for (const ir::Value* v : mm->outputs()) outputs.push_back(v ? v->name() : std::string());
  const std::string name = mm->name();
  const int64_t opset = mm->opset();
  graph.RemoveNode(mm);
  auto standard = graph.opsets().find("");
  if (attrs.size() == 1 && attrs["alpha"].f == 1.0f && standard != graph.opsets().end()) {
    graph.AddNode(name, "MatMul", "", standard->second, inputs, outputs, {});
    return;
  }
  graph.AddNode(name, "FusedMatMul", "com.onyx", opset, inputs, outputs, std::move(attrs));
}

class FuseGelu final : public GraphPass {
 public:
  std::string name() const override { return "FuseGelu"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    if (!CanProduce(ctx, graph, "com.onyx", "Gelu")) return 0;
    std::vector<ir::Node*> acts;
    for (const auto& n : graph.nodes()) {
      if (IsOp(n.get(), "Erf") || IsOp(n.get(), "Tanh")) acts.push_back(n.get());
    }
    int rewrites = 0;
    std::vector<ir::Node*> removed;
    for (ir::Node* act : acts) {
      if (std::find(removed.begin(), removed.end(), act) != removed.end()) continue;
      const bool tanh_form = act->op_type() == "Tanh";
      std::vector<ir::Node*> nodes;
      const ir::Value* x = tanh_form ? MatchTanhInput(act, &nodes) : MatchErfInput(act, &nodes);
      if (x == nullptr || x->type().elem_type != DataType::kFloat) continue;
      nodes.push_back(act);
      ir::Node* half_in = nullptr;
      ir::Node* last = MatchOuter(act->output(0), x, &nodes, &half_in);
      if (last == nullptr || last->output(0) == nullptr) continue;
      ir::Attribute approximate;
      approximate.name = "approximate";
      approximate.type = ir::AttrType::kString;
      approximate.s = tanh_form ? "tanh" : "none";
      const std::string x_name = x->name(), out = last->output(0)->name(), node_name = last->name() + "_gelu";
      for (ir::Node* n : nodes) {
        removed.push_back(n);
        graph.RemoveNode(n);
      }
      graph.AddNode(node_name, "Gelu", "com.onyx", ir::kOnyxDomainOpset, {x_name}, {out}, {{"approximate", approximate}});
      if (half_in != nullptr) TakeHalfBack(graph, half_in);
      ++rewrites;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kExtended, 22, FuseGelu);

}  // namespace
}  // namespace onyx::opt
