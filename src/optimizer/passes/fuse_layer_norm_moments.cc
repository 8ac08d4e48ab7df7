// Layer normalization over the last axis in the two written-out forms that FuseLayerNorm does not take, as one
// LayerNormalization node (ai.onnx 17, or com.onyx:LayerNormalization below opset 17):
//   moments (JAX/Flax and some TF exports):  mean = E(x);  var = E(x * x) - mean * mean, optionally Max(var, 0);
//       y = (x - mean) * s [+ beta]
//   TF/Keras (tf2onnx):  mean = E(x);  var = E((x - mean)^2);  y = x * s + (beta - mean * s)
// with inv = Reciprocal(Sqrt(var + eps)) (or Div(1, Sqrt(..))) and s = inv * gamma, or s = inv without gamma.
// E(v) is ReduceMean over the last axis, or ReduceSum over it scaled by 1/C (Mul, or Div by C; C the last dim).
// Statistics reduced without keepdims come back to [..., 1] through Reshape, Expand or Unsqueeze nodes, which
// join the fusion when their result has x's leading dims and a last dim of 1. gamma and beta must be constants
// holding C values along the last axis; every intermediate value must be read only inside the pattern.
#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "ir/op_schema.h"
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

bool IsOp(const ir::Node* n, const char* op) { return n != nullptr && n->domain().empty() && n->op_type() == op; }

ir::Value* Other(const ir::Node& n, const ir::Value* v) {
  if (n.inputs().size() != 2) return nullptr;
  if (n.input(0) == v) return n.input(1);
  if (n.input(1) == v) return n.input(0);
  return nullptr;
}

// The distinct readers of v (a node reading it twice, as Mul(v, v) does, is listed once).
std::vector<ir::Node*> Readers(const ir::Value* v) {
  std::vector<ir::Node*> r;
  for (ir::Node* n : v->consumers()) {
    if (std::find(r.begin(), r.end(), n) == r.end()) r.push_back(n);
  }
  return r;
}

// The one node reading v (perhaps twice), or null when there are several or v is a graph output.
ir::Node* OnlyReader(const ir::Value* v) {
  if (v == nullptr || v->is_graph_output()) return nullptr;
  const std::vector<ir::Node*> r = Readers(v);
  return r.size() == 1 ? r[0] : nullptr;
}

// A float constant of one value.
bool Scalar(const ir::Value* v, float* value) {
  const Tensor* t = ConstantOf(v);
  if (t == nullptr || t->type() != DataType::kFloat || t->size() != 1) return false;
  *value = t->data<float>()[0];
  return true;
}

// A float constant of c values along the last axis ([c], [1, c], ...).
bool LastAxisVector(const ir::Value* v, int64_t c) {
  const Tensor* t = ConstantOf(v);
  if (t == nullptr || t->type() != DataType::kFloat || t->rank() < 1 || t->size() != c) return false;
  return t->dim(t->rank() - 1) == c;
}

struct Pattern {
  const ir::Value* x = nullptr;
  const ir::SymShape* xs = nullptr;
  int64_t c = 0;
  std::vector<ir::Node*> nodes;
  float epsilon = 0;
  const ir::Value* gamma = nullptr;
  const ir::Value* beta = nullptr;
  ir::Node* last = nullptr;
};

// ReduceMean or ReduceSum of `in` over exactly its last axis; *keep receives keepdims.
bool LastAxisReduce(const ir::Node* r, const ir::Value* in, int64_t rank, bool* keep) {
  if (!(IsOp(r, "ReduceMean") || IsOp(r, "ReduceSum")) || r->input(0) != in) return false;
  *keep = AttrInt(*r, "keepdims", 1) != 0;
  const bool axes_input = r->op_type() == "ReduceSum" ? r->opset() >= 13 : r->opset() >= 18;
  std::vector<int64_t> axes;
  if (axes_input) {
    const Tensor* t = ConstantInput(*r, 1);
    if (t == nullptr || t->type() != DataType::kInt64) return false;
    axes.assign(t->data<int64_t>(), t->data<int64_t>() + t->size());
  } else if (const ir::Attribute* a = r->attribute("axes")) {
    axes = a->ints;
  }
  return axes.size() == 1 && (axes[0] == -1 || axes[0] == rank - 1);
}

// The mean E(v) over the last axis from the reduce `r`: its output (ReduceMean), or the ReduceSum's scaling.
const ir::Value* MeanFrom(ir::Node* r, Pattern* p) {
  p->nodes.push_back(r);
  if (r->op_type() == "ReduceMean") return r->output(0);
  ir::Node* s = SoleConsumer(r->output(0));
  float f = 0;
  if (s == nullptr || s->inputs().size() != 2 || !Scalar(Other(*s, r->output(0)), &f)) return nullptr;
  const float inv_c = 1.0f / static_cast<float>(p->c);
  const bool ok = (IsOp(s, "Mul") && std::abs(f - inv_c) <= 1e-6f * inv_c) ||
                  (IsOp(s, "Div") && s->input(0) == r->output(0) && f == static_cast<float>(p->c));
  if (!ok) return nullptr;
  p->nodes.push_back(s);
  return s->output(0);
}

// The mean of `v` over the last axis, reduced by the sole reader of v.
const ir::Value* MeanOfSoleReader(const ir::Value* v, Pattern* p) {
  ir::Node* r = SoleConsumer(v);
  bool keep = false;
  if (!LastAxisReduce(r, v, static_cast<int64_t>(p->xs->size()), &keep)) return nullptr;
  return MeanFrom(r, p);
}

// Follows Reshape/Expand/Unsqueeze readers of a statistic to its [..., 1] form (v itself when it has it).
const ir::Value* KeepDims(const ir::Value* v, ir::Node* only_reader, Pattern* p) {
  for (ir::Node* n = only_reader; IsOp(n, "Reshape") || IsOp(n, "Expand") || IsOp(n, "Unsqueeze");
       n = SoleConsumer(v)) {
    if (n->input(0) != v) return nullptr;
    p->nodes.push_back(n);
    v = n->output(0);
  }
  const ir::SymShape* s = FloatShapeOf(v);
  if (s == nullptr || s->size() != p->xs->size() || !s->back().known() || s->back().value != 1) return nullptr;
  for (size_t i = 0; i + 1 < s->size(); ++i) {
    if (!SameDim((*s)[i], (*p->xs)[i])) return nullptr;
  }
  return v;
}

// s = Reciprocal(Sqrt(var + eps)) [* gamma] from the variance (in its [..., 1] form); returns s.
const ir::Value* MatchScale(const ir::Value* var, Pattern* p) {
  ir::Node* add = SoleConsumer(var);
  if (!IsOp(add, "Add") || !Scalar(Other(*add, var), &p->epsilon) || !(p->epsilon >= 0.0f)) return nullptr;
  ir::Node* sqrt = SoleConsumer(add->output(0));
  if (!IsOp(sqrt, "Sqrt")) return nullptr;
  ir::Node* inv = SoleConsumer(sqrt->output(0));
  float one = 0;
  const bool reciprocal = IsOp(inv, "Reciprocal") || (IsOp(inv, "Div") && inv->input(1) == sqrt->output(0) &&
                                                      Scalar(inv->input(0), &one) && one == 1.0f);
  if (!reciprocal) return nullptr;
  p->nodes.insert(p->nodes.end(), {add, sqrt, inv});
  const ir::Value* s = inv->output(0);
  ir::Node* g = SoleConsumer(s);
  if (IsOp(g, "Mul") && LastAxisVector(Other(*g, s), p->c)) {
    p->gamma = Other(*g, s);
    p->nodes.push_back(g);
    s = g->output(0);
  }
  return s;
}

// y [+ beta] after the normalized value `y` made by `n`.
void MatchBeta(ir::Node* n, Pattern* p) {
  p->last = n;
  ir::Node* add = SoleConsumer(n->output(0));
  if (IsOp(add, "Add") && LastAxisVector(Other(*add, n->output(0)), p->c)) {
    p->beta = Other(*add, n->output(0));
    p->nodes.push_back(add);
    p->last = add;
  }
}

// mean = E(x) made by `r`; var = E(x*x) - mean*mean; y = (x - mean) * s.
bool MatchMoments(ir::Node* r, Pattern* p) {
  const ir::Value* mean = MeanFrom(r, p);
  if (mean == nullptr || Readers(mean).size() != 2) return false;
  ir::Node* msq = nullptr;
  ir::Node* keep_reader = nullptr;
  for (ir::Node* n : Readers(mean)) {
    (IsOp(n, "Mul") && n->input(0) == mean && n->input(1) == mean ? msq : keep_reader) = n;
  }
  if (msq == nullptr || keep_reader == nullptr) return false;
  p->nodes.push_back(msq);
  ir::Node* sub = SoleConsumer(msq->output(0));
  if (!IsOp(sub, "Sub") || sub->input(1) != msq->output(0)) return false;
  ir::Node* sq = nullptr;
  for (ir::Node* n : Readers(p->x)) {
    if (IsOp(n, "Mul") && n->input(0) == p->x && n->input(1) == p->x) sq = n;
  }
  if (sq == nullptr) return false;
  p->nodes.insert(p->nodes.end(), {sq, sub});
  if (MeanOfSoleReader(sq->output(0), p) != sub->input(0)) return false;
  const ir::Value* var = sub->output(0);
  ir::Node* mx = SoleConsumer(var);
  float zero = 1;
  if (IsOp(mx, "Max") && mx->inputs().size() == 2 && Scalar(Other(*mx, var), &zero) && zero == 0.0f) {
    p->nodes.push_back(mx);
    var = mx->output(0);
  }
  const ir::Value* var_keep = KeepDims(var, SoleConsumer(var), p);
  const ir::Value* mean_keep = KeepDims(mean, keep_reader, p);
  if (var_keep == nullptr || mean_keep == nullptr) return false;
  const ir::Value* s = MatchScale(var_keep, p);
  ir::Node* d = mean_keep == mean ? keep_reader : SoleConsumer(mean_keep);  // keepdims: mean has two readers
  if (s == nullptr || !IsOp(d, "Sub") || d->input(0) != p->x || d->input(1) != mean_keep) return false;
  ir::Node* y = SoleConsumer(d->output(0));
  if (!IsOp(y, "Mul") || Other(*y, d->output(0)) != s) return false;
  p->nodes.insert(p->nodes.end(), {d, y});
  MatchBeta(y, p);
  return true;
}

// mean = E(x) (keepdims) made by `r`; var = E((x - mean)^2); y = x * s + (beta - mean * s).
bool MatchKeras(ir::Node* r, Pattern* p) {
  const ir::Value* mean = MeanFrom(r, p);
  if (mean == nullptr || KeepDims(mean, nullptr, p) != mean || Readers(mean).size() != 2) return false;
  ir::Node* d = nullptr;
  ir::Node* ms = nullptr;
  for (ir::Node* n : Readers(mean)) {
    (IsOp(n, "Sub") && n->input(0) == p->x && n->input(1) == mean ? d : ms) = n;
  }
  if (d == nullptr || !IsOp(ms, "Mul")) return false;
  ir::Node* sq = OnlyReader(d->output(0));
  if (!IsOp(sq, "Mul") || sq->input(0) != d->output(0) || sq->input(1) != d->output(0)) return false;
  p->nodes.insert(p->nodes.end(), {d, sq});
  const ir::Value* var = MeanOfSoleReader(sq->output(0), p);
  if (var == nullptr || KeepDims(var, nullptr, p) != var) return false;
  // s is read twice here (x * s and mean * s), so MatchScale's gamma step sees no sole reader: do it by hand.
  ir::Node* add = SoleConsumer(var);
  if (!IsOp(add, "Add") || !Scalar(Other(*add, var), &p->epsilon) || !(p->epsilon >= 0.0f)) return false;
  ir::Node* sqrt = SoleConsumer(add->output(0));
  ir::Node* inv = sqrt ? SoleConsumer(sqrt->output(0)) : nullptr;
  if (!IsOp(sqrt, "Sqrt") || !IsOp(inv, "Reciprocal")) return false;
  p->nodes.insert(p->nodes.end(), {add, sqrt, inv});
  const ir::Value* s = inv->output(0);
  if (ir::Node* g = SoleConsumer(s); IsOp(g, "Mul") && LastAxisVector(Other(*g, s), p->c)) {
    p->gamma = Other(*g, s);
    p->nodes.push_back(g);
    s = g->output(0);
  }
  if (Readers(s).size() != 2 || Other(*ms, mean) != s) return false;
  ir::Node* xs = nullptr;
  for (ir::Node* n : Readers(s)) {
    if (n != ms) xs = n;
  }
  if (!IsOp(xs, "Mul") || Other(*xs, s) != p->x) return false;
  ir::Node* shift = SoleConsumer(ms->output(0));
  if (!IsOp(shift, "Sub") || shift->input(1) != ms->output(0) || !LastAxisVector(shift->input(0), p->c)) return false;
  ir::Node* y = SoleConsumer(xs->output(0));
  if (!IsOp(y, "Add") || Other(*y, xs->output(0)) != shift->output(0) || SoleConsumer(shift->output(0)) != y) {
    return false;
  }
  p->beta = shift->input(0);
  p->nodes.insert(p->nodes.end(), {ms, xs, shift, y});
  p->last = y;
  return true;
}

// Every value the pattern makes, but its result, is read only by the pattern's own nodes.
bool SelfContained(const Pattern& p) {
  const std::set<const ir::Node*> inside(p.nodes.begin(), p.nodes.end());
  for (const ir::Node* n : p.nodes) {
    for (const ir::Value* out : n->outputs()) {
      if (out == nullptr || n == p.last) continue;
      if (out->is_graph_output()) return false;
      for (const ir::Node* c : out->consumers()) {
        if (!inside.count(c)) return false;
      }
    }
  }
  return true;
}

// A constant of the last axis as a 1-D [c] tensor.
Tensor AsVector(const ir::Value* v, int64_t c) {
  const Tensor* t = ConstantOf(v);
  Tensor out = Tensor::Create(DataType::kFloat, {c}).take();
  std::copy(t->data<float>(), t->data<float>() + c, out.data<float>());
  return out;
}

class FuseLayerNormMoments final : public GraphPass {
 public:
  std::string name() const override { return "FuseLayerNormMoments"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    auto opset = graph.opsets().find("");
    const bool standard =
        opset != graph.opsets().end() && opset->second >= 17 && CanProduce(ctx, graph, "", "LayerNormalization");
    if (!standard && !CanProduce(ctx, graph, "com.onyx", "LayerNormalization")) return 0;
    std::vector<ir::Node*> reduces;
    for (const auto& n : graph.nodes()) {
      if (IsOp(n.get(), "ReduceMean") || IsOp(n.get(), "ReduceSum")) reduces.push_back(n.get());
    }
    int rewrites = 0;
    std::set<const ir::Node*> removed;
    for (ir::Node* r : reduces) {
      if (removed.count(r)) continue;
      Pattern p;
      p.x = r->input(0);
      p.xs = FloatShapeOf(p.x);
      bool keep = false;
      if (p.xs == nullptr || p.xs->empty() || !p.xs->back().known() || p.xs->back().value <= 0 ||
          !LastAxisReduce(r, p.x, static_cast<int64_t>(p.xs->size()), &keep)) {
        continue;
      }
      p.c = p.xs->back().value;
      Pattern moments = p, keras = p;
      if (MatchMoments(r, &moments) && SelfContained(moments)) {
        p = std::move(moments);
      } else if (MatchKeras(r, &keras) && SelfContained(keras)) {
        p = std::move(keras);
      } else {
        continue;
      }
      if (std::any_of(p.nodes.begin(), p.nodes.end(), [&](const ir::Node* n) { return removed.count(n) > 0; })) {
        continue;
      }
      const std::string base = p.last->name(), out = p.last->output(0)->name();
      std::vector<std::string> inputs = {p.x->name()};
      Tensor gamma = p.gamma ? AsVector(p.gamma, p.c) : Tensor::Create(DataType::kFloat, {p.c}).take();
      if (p.gamma == nullptr) std::fill(gamma.data<float>(), gamma.data<float>() + p.c, 1.0f);
      ONYX_ASSIGN_OR_RETURN(ir::Value * g, graph.AddConstant(base + "_gamma", std::move(gamma)));
      inputs.push_back(g->name());
      if (p.beta != nullptr) {
        ONYX_ASSIGN_OR_RETURN(ir::Value * b, graph.AddConstant(base + "_beta", AsVector(p.beta, p.c)));
        inputs.push_back(b->name());
      }
      std::map<std::string, ir::Attribute> attrs = {{"axis", IntAttr("axis", -1)},
                                                    {"epsilon", FloatAttr("epsilon", p.epsilon)}};
      std::sort(p.nodes.begin(), p.nodes.end());
      p.nodes.erase(std::unique(p.nodes.begin(), p.nodes.end()), p.nodes.end());
      for (ir::Node* n : p.nodes) {
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

ONYX_REGISTER_PASS(Level::kExtended, 21, FuseLayerNormMoments);

}  // namespace
}  // namespace onyx::opt
