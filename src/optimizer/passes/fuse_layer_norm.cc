// Layer normalization written out with primitive operators (how PyTorch and many TF exports give it) becomes
// one LayerNormalization node:
//   mean = ReduceMean(x, last k axes, keepdims=1);  d = Sub(x, mean)   (one Sub, or two identical ones)
//   var = ReduceMean(Pow(d, 2) or Mul(d, d), same axes);  s = Sqrt(Add(var, eps))
//   n = Div(d, s), or Mul(d, Reciprocal(s)), or Mul(d, Div(1, s))
//   y = Add(Mul(n, gamma), beta)   (gamma and beta constants, each optional, operands either way round)
// ReduceMean's axes are an attribute before opset 18 and a constant input from 18. The result is the standard
// LayerNormalization (ai.onnx 17) when the model imports opset 17 or later, and otherwise
// com.onyx:LayerNormalization, which has the same schema. gamma and beta are expanded to the normalized shape
// (ones when gamma is absent; beta is simply omitted).
#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "ir/op_schema.h"
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

bool IsOp(const ir::Node* n, const char* op) { return n != nullptr && n->domain().empty() && n->op_type() == op; }

// The operand of a binary node that is not `v`, or null when `v` is not an operand.
ir::Value* OtherOperand(const ir::Node& node, const ir::Value* v) {
  if (node.inputs().size() != 2) return nullptr;
  if (node.input(0) == v) return node.input(1);
  if (node.input(1) == v) return node.input(0);
  return nullptr;
}

// A float constant holding one value, with a rank that cannot widen a rank-`rank` operand.
bool ScalarConstant(const ir::Value* v, int64_t rank, float* value) {
  const Tensor* t = ConstantOf(v);
  if (t == nullptr || t->type() != DataType::kFloat || t->size() != 1 || t->rank() > rank) return false;
  *value = t->data<float>()[0];
  return true;
}

// ReduceMean's axes, normalized against `rank` and sorted; empty when they cannot be read or keepdims is 0.
std::vector<int64_t> ReduceAxes(const ir::Node& rm, int64_t rank) {
  if (const ir::Attribute* k = rm.attribute("keepdims"); k != nullptr && k->i == 0) return {};
  std::vector<int64_t> axes;
  if (rm.opset() < 18) {
    const ir::Attribute* a = rm.attribute("axes");
    if (a == nullptr) return {};
    axes = a->ints;
  } else {
    const Tensor* t = ConstantInput(rm, 1);
    if (t == nullptr || t->type() != DataType::kInt64 || t->rank() != 1) return {};
    axes.assign(t->data<int64_t>(), t->data<int64_t>() + t->size());
  }
  for (int64_t& a : axes) {
    if (a < -rank || a >= rank) return {};
    if (a < 0) a += rank;
  }
  std::sort(axes.begin(), axes.end());
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end()) return {};
  return axes;
}

// `t` (broadcasting against an input of rank `rank` over the normalized dims `norm`, without widening it)
// expanded to exactly `norm`; false when it does not fit.
bool ExpandParam(const Tensor& t, int64_t rank, const Shape& norm, Tensor* out) {
  if (t.type() != DataType::kFloat || t.rank() > rank) return false;
  const int64_t k = static_cast<int64_t>(norm.size());
  Shape src(norm.size(), 1);
  for (int64_t i = 0; i < t.rank(); ++i) {
    const int64_t d = t.dim(t.rank() - 1 - i);
    if (i >= k) {
      if (d != 1) return false;
      continue;
    }
    const int64_t target = norm[static_cast<size_t>(k - 1 - i)];
    if (d != 1 && d != target) return false;
    src[static_cast<size_t>(k - 1 - i)] = d;
  }
  auto made = Tensor::Create(DataType::kFloat, norm);
  if (!made.ok()) return false;
  *out = made.take();
  float* dst = out->data<float>();
  const float* data = t.data<float>();
  for (int64_t o = 0; o < out->size(); ++o) {
    int64_t rem = o, index = 0, stride = 1;
    for (int64_t i = k - 1; i >= 0; --i) {
      const int64_t dim = norm[static_cast<size_t>(i)];
      const int64_t coord = rem % dim;
      rem /= dim;
      if (src[static_cast<size_t>(i)] != 1) index += coord * stride;
      stride *= src[static_cast<size_t>(i)];
    }
    dst[o] = data[index];
  }
  return true;
}

struct Match {
  const ir::Value* x = nullptr;
  int64_t num_axes = 0;
  float epsilon = 0;
  const ir::Value* gamma = nullptr;  // constants, or null
  const ir::Value* beta = nullptr;
  std::vector<ir::Node*> nodes;
  ir::Node* last = nullptr;
};

// Matches the pattern from its first ReduceMean.
bool MatchLayerNorm(ir::Node* rm1, Match* m) {
  const ir::Value* x = rm1->input(0);
  if (x == nullptr || x->type().elem_type != DataType::kFloat || !x->type().shape) return false;
  const int64_t rank = static_cast<int64_t>(x->type().shape->size());
  const std::vector<int64_t> axes = ReduceAxes(*rm1, rank);
  if (axes.empty() || axes.front() != rank - static_cast<int64_t>(axes.size()) || axes.back() != rank - 1) return false;
  const ir::Value* mean = rm1->output(0);
  if (mean == nullptr || mean->is_graph_output() || mean->consumers().empty() || mean->consumers().size() > 2) {
    return false;
  }
  // d = x - mean, once or twice.
  std::set<const ir::Value*> diffs;
  for (ir::Node* sub : mean->consumers()) {
    if (!IsOp(sub, "Sub") || sub->input(0) != x || sub->input(1) != mean) return false;
    if (sub->output(0) == nullptr || sub->output(0)->is_graph_output()) return false;
    diffs.insert(sub->output(0));
    m->nodes.push_back(sub);
  }
  // The square and the normalizing node are the only readers of the differences.
  ir::Node* square = nullptr;
  ir::Node* norm = nullptr;
  for (const ir::Value* d : diffs) {
    for (ir::Node* reader : d->consumers()) {
      const bool both_diffs =
          reader->inputs().size() == 2 && diffs.count(reader->input(0)) && diffs.count(reader->input(1));
      if ((IsOp(reader, "Pow") && reader->input(0) == d) || (IsOp(reader, "Mul") && both_diffs)) {
        if (square != nullptr && square != reader) return false;
        square = reader;
      } else if ((IsOp(reader, "Div") && reader->input(0) == d) || (IsOp(reader, "Mul") && !both_diffs)) {
        if (norm != nullptr && norm != reader) return false;
        norm = reader;
      } else {
        return false;
      }
    }
  }
  if (square == nullptr || norm == nullptr || norm->output(0) == nullptr) return false;
  if (IsOp(square, "Pow")) {
    float e = 0;
    if (!ScalarConstant(square->input(1), rank, &e) || e != 2.0f) return false;
  }
  ir::Node* rm2 = SoleConsumer(square->output(0));
  if (!IsOp(rm2, "ReduceMean") || rm2->input(0) != square->output(0) || ReduceAxes(*rm2, rank) != axes) return false;
  ir::Node* add = SoleConsumer(rm2->output(0));
  if (!IsOp(add, "Add")) return false;
  const ir::Value* eps = OtherOperand(*add, rm2->output(0));
  if (!ScalarConstant(eps, rank, &m->epsilon) || !(m->epsilon >= 0.0f)) return false;
  ir::Node* sqrt = SoleConsumer(add->output(0));
  if (!IsOp(sqrt, "Sqrt")) return false;
  const ir::Value* s = sqrt->output(0);
  ir::Node* next = SoleConsumer(s);
  m->nodes.insert(m->nodes.end(), {rm1, square, rm2, add, sqrt});
  if (IsOp(norm, "Div")) {
    if (next != norm || norm->input(1) != s) return false;
  } else {
    // Mul(d, 1 / s) with 1 / s as Reciprocal(s) or Div(1, s).
    float one = 0;
    const bool reciprocal = IsOp(next, "Reciprocal") || (IsOp(next, "Div") && next->input(1) == s &&
                                                         ScalarConstant(next->input(0), rank, &one) && one == 1.0f);
    if (!reciprocal || SoleConsumer(next->output(0)) != norm) return false;
    if (!diffs.count(OtherOperand(*norm, next->output(0)))) return false;
    m->nodes.push_back(next);
  }
  m->nodes.push_back(norm);
  m->last = norm;
  m->x = x;
  m->num_axes = static_cast<int64_t>(axes.size());
  // Optional Mul(gamma), then optional Add(beta), by constants.
  ir::Node* after = SoleConsumer(norm->output(0));
  if (IsOp(after, "Mul")) {
    const ir::Value* g = OtherOperand(*after, norm->output(0));
    if (ConstantOf(g) != nullptr) {
      m->gamma = g;
      m->nodes.push_back(after);
      m->last = after;
      after = SoleConsumer(after->output(0));
    }
  }
  if (IsOp(after, "Add")) {
    const ir::Value* b = OtherOperand(*after, m->last->output(0));
    if (ConstantOf(b) != nullptr) {
      m->beta = b;
      m->nodes.push_back(after);
      m->last = after;
    }
  }
  return true;
}

class FuseLayerNorm final : public GraphPass {
 public:
  std::string name() const override { return "FuseLayerNorm"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    auto opset = graph.opsets().find("");
    const bool standard =
        opset != graph.opsets().end() && opset->second >= 17 && CanProduce(ctx, graph, "", "LayerNormalization");
    if (!standard && !CanProduce(ctx, graph, "com.onyx", "LayerNormalization")) return 0;
    std::vector<ir::Node*> reduces;
    for (const auto& n : graph.nodes()) {
      if (IsOp(n.get(), "ReduceMean")) reduces.push_back(n.get());
    }
    int rewrites = 0;
    std::set<const ir::Node*> removed;
    for (ir::Node* rm : reduces) {
      if (removed.count(rm)) continue;
      Match m;
      if (!MatchLayerNorm(rm, &m)) continue;
      // The normalized dims must be known to shape gamma and beta.
      const ir::SymShape& xs = *m.x->type().shape;
      const int64_t rank = static_cast<int64_t>(xs.size());
      Shape norm;
      for (int64_t i = rank - m.num_axes; i < rank; ++i) norm.push_back(xs[static_cast<size_t>(i)].value);
      if (std::any_of(norm.begin(), norm.end(), [](int64_t d) { return d < 0; })) continue;
      Tensor gamma, beta;
      if (m.gamma != nullptr) {
        if (!ExpandParam(*ConstantOf(m.gamma), rank, norm, &gamma)) continue;
      } else {
        ONYX_ASSIGN_OR_RETURN(gamma, Tensor::Create(DataType::kFloat, norm));
        std::fill(gamma.data<float>(), gamma.data<float>() + gamma.size(), 1.0f);
      }
      if (m.beta != nullptr && !ExpandParam(*ConstantOf(m.beta), rank, norm, &beta)) continue;

      const std::string base = m.last->name();
      std::vector<std::string> inputs = {m.x->name()};
      // A constant already of the normalized shape is used as it is.
      for (auto [given, expanded, suffix] :
           {std::tuple{m.gamma, &gamma, "_gamma"}, std::tuple{m.beta, &beta, "_beta"}}) {
        if (given != nullptr && ConstantOf(given)->shape() == norm) {
          inputs.push_back(given->name());
        } else if (given != nullptr || expanded == &gamma) {
          ONYX_ASSIGN_OR_RETURN(ir::Value * v, graph.AddConstant(base + suffix, std::move(*expanded)));
          inputs.push_back(v->name());
        }
      }
      std::map<std::string, ir::Attribute> attrs;
      attrs["axis"].name = "axis";
      attrs["axis"].type = ir::AttrType::kInt;
      attrs["axis"].i = -m.num_axes;
      attrs["epsilon"].name = "epsilon";
      attrs["epsilon"].type = ir::AttrType::kFloat;
      attrs["epsilon"].f = m.epsilon;
      const std::string out = m.last->output(0)->name();
      for (ir::Node* n : m.nodes) {
        removed.insert(n);
        graph.RemoveNode(n);
      }
      if (standard) {
        graph.AddNode(base + "_layernorm", "LayerNormalization", "", opset->second, inputs, {out}, std::move(attrs));
      } else {
        graph.AddNode(base + "_layernorm", "LayerNormalization", "com.onyx", ir::kOnyxDomainOpset, inputs, {out}, std::move(attrs));
      }
      ++rewrites;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kExtended, 20, FuseLayerNorm);

}  // namespace
}  // namespace onyx::opt
