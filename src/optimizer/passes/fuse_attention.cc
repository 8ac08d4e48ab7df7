// BERT-style multi-head self-attention, as exported op by op, becomes one com.onyx:Attention(X, W_qkv, b_qkv,
// mask?) (docs/FUSED_OPERATORS.md). The pattern, walked back from the Softmax:
//   q/k/v  = MatMul(X, Wq/Wk/Wv) + bq/bk/bv      constant float [E, hidden] and [hidden]; the bias is optional
//   Qh, Vh = Transpose(Reshape(q/v, [B,S,H,D]), perm 0,2,1,3)
//   Kt     = Transpose(Reshape(k, [B,S,H,D]), perm 0,2,3,1), or perm 0,2,1,3 then perm 0,1,3,2
//   scores = MatMul(Qh, Kt), scaled by constants (Mul or Div) anywhere on the Q or K path or on the scores;
//            any MatMul here may already be com.onyx:FusedMatMul with a scale (alpha) and no activation
//   probs  = Softmax(scores [+ mask], last axis)   mask: any float value that broadcasts to [B,H,S,S]
//   Y      = Reshape(Transpose(MatMul(probs, Vh), perm 0,2,1,3), [B,S,hidden])
// Every intermediate value must be read by the next node alone; all three projections must read the same
// X [B,S,E]; the Reshape results must be [B,S,H,D] and [B,S,H*D] by their inferred shapes (which is what
// makes a Reshape a split or merge of the heads, whatever the shape input looks like). Anything else is left
// alone.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "ir/op_schema.h"
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

bool IsOp(const ir::Node* n, const char* op) { return n != nullptr && n->domain().empty() && n->op_type() == op; }

// The producer of `v` when `reader` is its only reader.
ir::Node* SoleProducer(const ir::Value* v, const ir::Node* reader) {
  if (v == nullptr || reader == nullptr || SoleConsumer(v) != reader) return nullptr;
  return v->producer();
}

// MatMul, or com.onyx:FusedMatMul with a scale and no activation (what FuseMatMulScale, which runs earlier,
// makes of a MatMul next to a scalar product); *alpha receives the scale.
bool IsMatMul(const ir::Node* n, double* alpha) {
  *alpha = 1.0;
  if (IsOp(n, "MatMul")) return true;
  if (n == nullptr || n->domain() != "com.onyx" || n->op_type() != "FusedMatMul" || n->inputs().size() != 2) {
    return false;
  }
  for (const auto& [name, attr] : n->attributes()) {
    if (name == "alpha") {
      *alpha = attr.f;
    } else if (!(name == "activation" && attr.s.empty()) && !(name == "activation_params" && attr.floats.empty())) {
      return false;
    }
  }
  return std::isfinite(*alpha);
}

bool HasPerm(const ir::Node* n, std::vector<int64_t> perm) {
  if (!IsOp(n, "Transpose")) return false;
  const ir::Attribute* p = n->attribute("perm");
  return p != nullptr && p->ints == perm;
}

// What one match collects.
struct Attention {
  const ir::Value* x = nullptr;
  const Tensor* w[3] = {nullptr, nullptr, nullptr};  // q, k, v
  const Tensor* b[3] = {nullptr, nullptr, nullptr};  // null: no bias
  int64_t heads = 0, head_size = 0;
  double scale = 1.0;
  const ir::Value* mask = nullptr;
  std::vector<ir::Node*> nodes;
};

// Walks back from `v` (read by `reader`) over Mul/Div nodes by float scalar constants, multiplying their
// factors into m->scale. Returns the first value that is not such a product, and sets *reader to its reader.
const ir::Value* PeelScale(const ir::Value* v, ir::Node** reader, Attention* m) {
  for (;;) {
    ir::Node* p = SoleProducer(v, *reader);
    if (!(IsOp(p, "Mul") || IsOp(p, "Div")) || p->inputs().size() != 2) return v;
    const ir::Value* scaled = nullptr;
    double factor = 0;
    for (size_t i = 0; i < 2 && scaled == nullptr; ++i) {
      if (p->op_type() == "Div" && i == 0) continue;  // c / x is not a scaling of x
      const Tensor* c = ConstantInput(*p, i);
      if (c == nullptr || c->type() != DataType::kFloat || c->size() != 1 || c->rank() > 1) continue;
      const float value = c->data<float>()[0];
      if (!std::isfinite(value) || value == 0.0f) continue;
      scaled = p->input(1 - i);
      factor = p->op_type() == "Div" ? 1.0 / value : value;
    }
    if (scaled == nullptr) return v;
    m->scale *= factor;
    m->nodes.push_back(p);
    *reader = p;
    v = scaled;
  }
}

// q = MatMul(X, W) [+ b] for path `which` (0 q, 1 k, 2 v), read by `reader`.
bool MatchProjection(const ir::Value* v, ir::Node* reader, int which, Attention* m) {
  ir::Node* p = SoleProducer(v, reader);
  if (IsOp(p, "Add") && p->inputs().size() == 2) {
    for (size_t i = 0; i < 2; ++i) {
      const Tensor* c = ConstantInput(*p, i);
      ir::Node* mm = SoleProducer(p->input(1 - i), p);
      double unused = 1.0;
      if (c == nullptr || !IsMatMul(mm, &unused)) continue;
      m->b[which] = c;
      m->nodes.push_back(p);
      p = mm;
      break;
    }
  }
  double alpha = 1.0;
  if (!IsMatMul(p, &alpha)) return false;
  if (which == 2 && alpha != 1.0) return false;  // a scaled V is not a scaled score
  m->scale *= alpha;
  const Tensor* w = ConstantInput(*p, 1);
  if (w == nullptr || w->type() != DataType::kFloat || w->rank() != 2) return false;
  if (m->x == nullptr) m->x = p->input(0);
  if (p->input(0) != m->x) return false;
  m->w[which] = w;
  m->nodes.push_back(p);
  return true;
}

// Reshape(q, [B,S,H,D]) read by `reader`: checks the inferred shape against X and records H and D.
bool MatchSplitHeads(const ir::Value* v, ir::Node* reader, int which, Attention* m) {
  if (which != 2) v = PeelScale(v, &reader, m);  // scaling V would scale the output, not the scores
  ir::Node* rs = SoleProducer(v, reader);
  const ir::SymShape* out = FloatShapeOf(v);
  if (!IsOp(rs, "Reshape") || out == nullptr || out->size() != 4) return false;
  const ir::Dim& h = (*out)[2];
  const ir::Dim& d = (*out)[3];
  if (!h.known() || !d.known() || h.value <= 0 || d.value <= 0) return false;
  if (m->heads == 0) {
    m->heads = h.value;
    m->head_size = d.value;
  }
  if (h.value != m->heads || d.value != m->head_size) return false;
  m->nodes.push_back(rs);
  ir::Node* r = rs;
  const ir::Value* in = which == 2 ? rs->input(0) : PeelScale(rs->input(0), &r, m);
  if (!MatchProjection(in, r, which, m)) return false;
  // [B,S] of the split must be X's.
  const ir::SymShape* xs = FloatShapeOf(m->x);
  return xs != nullptr && xs->size() == 3 && SameDim((*out)[0], (*xs)[0]) && SameDim((*out)[1], (*xs)[1]);
}

// Qh or Vh = Transpose(Reshape(...), 0,2,1,3), read by `reader`.
bool MatchHeadsQV(const ir::Value* v, ir::Node* reader, int which, Attention* m) {
  if (which == 0) v = PeelScale(v, &reader, m);
  ir::Node* tr = SoleProducer(v, reader);
  if (!HasPerm(tr, {0, 2, 1, 3})) return false;
  m->nodes.push_back(tr);
  return MatchSplitHeads(tr->input(0), tr, which, m);
}

// Kt = Transpose(Reshape(...), 0,2,3,1), or the same in two Transposes.
bool MatchHeadsK(const ir::Value* v, ir::Node* reader, Attention* m) {
  v = PeelScale(v, &reader, m);
  ir::Node* tr = SoleProducer(v, reader);
  if (HasPerm(tr, {0, 2, 3, 1})) {
    m->nodes.push_back(tr);
    return MatchSplitHeads(tr->input(0), tr, 1, m);
  }
  if (!HasPerm(tr, {0, 1, 3, 2})) return false;
  m->nodes.push_back(tr);
  ir::Node* r = tr;
  const ir::Value* in = PeelScale(tr->input(0), &r, m);
  ir::Node* tr2 = SoleProducer(in, r);
  if (!HasPerm(tr2, {0, 2, 1, 3})) return false;
  m->nodes.push_back(tr2);
  return MatchSplitHeads(tr2->input(0), tr2, 1, m);
}

// The scores MatMul(Qh, Kt) behind `v` (read by `reader`), scalings peeled.
bool MatchScores(const ir::Value* v, ir::Node* reader, Attention* m) {
  v = PeelScale(v, &reader, m);
  ir::Node* qk = SoleProducer(v, reader);
  double alpha = 1.0;
  if (!IsMatMul(qk, &alpha)) return false;
  m->scale *= alpha;
  m->nodes.push_back(qk);
  return MatchHeadsQV(qk->input(0), qk, 0, m) && MatchHeadsK(qk->input(1), qk, m);
}

// A mask the kernel can broadcast to [B,H,S,S] without the Add widening the scores.
bool MaskFits(const ir::Value* mask, const Attention& m) {
  const ir::SymShape* ms = FloatShapeOf(mask);
  const ir::SymShape* xs = FloatShapeOf(m.x);
  if (ms == nullptr || xs == nullptr || ms->size() > 4) return false;
  const ir::Dim full[4] = {(*xs)[0], ir::Dim::Known(m.heads), (*xs)[1], (*xs)[1]};
  for (size_t i = 0; i < ms->size(); ++i) {
    const ir::Dim& d = (*ms)[ms->size() - 1 - i];
    if (!(d.known() && d.value == 1) && !SameDim(d, full[3 - i])) return false;
  }
  return true;
}

bool MatchAttention(ir::Node* softmax, Attention* m) {
  const ir::SymShape* ss = FloatShapeOf(softmax->input(0));
  if (ss == nullptr || ss->size() != 4) return false;
  int64_t axis = softmax->opset() >= 13 ? -1 : 1;
  if (const ir::Attribute* a = softmax->attribute("axis")) axis = a->i;
  if (axis != -1 && axis != 3) return false;
  m->nodes.push_back(softmax);
  // Context: MatMul(probs, Vh) -> Transpose(0,2,1,3) -> Reshape [B,S,hidden].
  ir::Node* ctx_mm = SoleConsumer(softmax->output(0));
  double alpha = 1.0;
  if (!IsMatMul(ctx_mm, &alpha) || alpha != 1.0 || ctx_mm->input(0) != softmax->output(0)) return false;
  ir::Node* tr = SoleConsumer(ctx_mm->output(0));
  if (!HasPerm(tr, {0, 2, 1, 3})) return false;
  ir::Node* merge = SoleConsumer(tr->output(0));
  if (!IsOp(merge, "Reshape") || merge->input(0) != tr->output(0)) return false;
  m->nodes.insert(m->nodes.end(), {ctx_mm, tr, merge});
  if (!MatchHeadsQV(ctx_mm->input(1), ctx_mm, 2, m)) return false;
  // Scores, with or without an additive mask.
  ir::Node* reader = softmax;
  const ir::Value* in = softmax->input(0);
  ir::Node* add = SoleProducer(in, reader);
  bool scores_found = false;
  if (IsOp(add, "Add") && add->inputs().size() == 2) {
    for (size_t i = 0; i < 2 && !scores_found; ++i) {
      Attention trial = *m;
      trial.nodes.push_back(add);
      if (MatchScores(add->input(i), add, &trial) && add->input(1 - i) != add->input(i)) {
        trial.mask = add->input(1 - i);
        *m = std::move(trial);
        scores_found = true;
      }
    }
  }
  if (!scores_found && !MatchScores(in, reader, m)) return false;
  // Shapes: X [B,S,E], W [E, H*D] for all three, biases [H*D], output [B,S,H*D].
  const ir::SymShape* xs = FloatShapeOf(m->x);
  if (xs == nullptr || xs->size() != 3 || !(*xs)[2].known()) return false;
  const int64_t e = (*xs)[2].value, hidden = m->heads * m->head_size;
  for (int i = 0; i < 3; ++i) {
    if (m->w[i]->dim(0) != e || m->w[i]->dim(1) != hidden) return false;
    const Tensor* b = m->b[i];
    if (b != nullptr && (b->type() != DataType::kFloat || b->rank() < 1 || b->rank() > 3 || b->size() != hidden ||
                         b->dim(b->rank() - 1) != hidden)) {
      return false;
    }
  }
  const ir::SymShape* out = FloatShapeOf(merge->output(0));
  if (out == nullptr || out->size() != 3 || !SameDim((*out)[0], (*xs)[0]) || !SameDim((*out)[1], (*xs)[1]) ||
      !SameDim((*out)[2], ir::Dim::Known(hidden))) {
    return false;
  }
  if (m->mask != nullptr && !MaskFits(m->mask, *m)) return false;
  return std::isfinite(m->scale);
}

class FuseAttention final : public GraphPass {
 public:
  std::string name() const override { return "FuseAttention"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    if (!CanProduce(ctx, graph, "com.onyx", "Attention")) return 0;
    std::vector<ir::Node*> softmaxes;
    for (const auto& n : graph.nodes()) {
      if (IsOp(n.get(), "Softmax")) softmaxes.push_back(n.get());
    }
    int rewrites = 0;
    for (ir::Node* softmax : softmaxes) {
      Attention m;
      if (!MatchAttention(softmax, &m)) continue;
      const int64_t e = m.w[0]->dim(0), hidden = m.heads * m.head_size;
      ONYX_ASSIGN_OR_RETURN(Tensor w, Tensor::Create(DataType::kFloat, {e, 3 * hidden}));
      ONYX_ASSIGN_OR_RETURN(Tensor b, Tensor::Create(DataType::kFloat, {3 * hidden}));
      for (int i = 0; i < 3; ++i) {
        const float* src = m.w[i]->data<float>();
        for (int64_t r = 0; r < e; ++r) {
          std::copy(src + r * hidden, src + (r + 1) * hidden, w.data<float>() + r * 3 * hidden + i * hidden);
        }
        float* dst = b.data<float>() + i * hidden;
        if (m.b[i] != nullptr) {
          std::copy(m.b[i]->data<float>(), m.b[i]->data<float>() + hidden, dst);
        } else {
          std::fill(dst, dst + hidden, 0.0f);
        }
      }
      ir::Node* merge = m.nodes[3];  // softmax, context MatMul, Transpose, merging Reshape come first
      const std::string out = merge->output(0)->name(), base = merge->name();
      std::vector<std::string> inputs = {m.x->name()};
      ONYX_ASSIGN_OR_RETURN(ir::Value * wv, graph.AddConstant(base + "_qkv_weight", std::move(w)));
      ONYX_ASSIGN_OR_RETURN(ir::Value * bv, graph.AddConstant(base + "_qkv_bias", std::move(b)));
      inputs.push_back(wv->name());
      inputs.push_back(bv->name());
      if (m.mask != nullptr) inputs.push_back(m.mask->name());
      std::map<std::string, ir::Attribute> attrs;
      attrs["num_heads"].name = "num_heads";
      attrs["num_heads"].type = ir::AttrType::kInt;
      attrs["num_heads"].i = m.heads;
      attrs["scale"].name = "scale";
      attrs["scale"].type = ir::AttrType::kFloat;
      attrs["scale"].f = static_cast<float>(m.scale);
      std::sort(m.nodes.begin(), m.nodes.end());
      m.nodes.erase(std::unique(m.nodes.begin(), m.nodes.end()), m.nodes.end());
      for (ir::Node* n : m.nodes) graph.RemoveNode(n);
      graph.AddNode(base + "_attention", "Attention", "com.onyx", ir::kOnyxDomainOpset, inputs, {out}, std::move(attrs));
      ++rewrites;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kExtended, 30, FuseAttention);

}  // namespace
}  // namespace onyx::opt
