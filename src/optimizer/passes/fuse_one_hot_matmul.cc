// An embedding lookup written as a one-hot matrix times a weight matrix, MatMul(Cast<float>(Equal(I, R)), W) with R
// the constant 0, 1, ..., K-1 along its last axis (and 1 along the others), I integer with a last dim of 1 and W a
// finite constant [K, N] (jax2tf exports jax.nn.one_hot(x, K) @ W so), becomes com.onyx:OneHotMatMul(I, W): one row
// of W copied per index (zeros for an index outside [0, K), as the all-false one-hot row gives) instead of a [..., K]
// bool tensor, its float copy and a product with K-fold redundant work. W must be finite: 0 * Inf in the product
// would make NaN that a copied row does not.
#include <cmath>

#include "ir/op_schema.h"
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

ir::Node* Producer(const ir::Value* v, const char* op) {
  ir::Node* p = v ? v->producer() : nullptr;
  return p && p->domain().empty() && p->op_type() == op ? p : nullptr;
}

// Whether t is 0, 1, ..., k-1 along its last axis and has 1 along every other.
bool IsRange(const Tensor& t, int64_t k) {
  if (t.rank() < 1 || t.dim(t.rank() - 1) != k || t.size() != k) return false;
  for (int64_t i = 0; i < k; ++i) {
    const int64_t v = t.type() == DataType::kInt32 ? t.data<int32_t>()[i] : t.data<int64_t>()[i];
    if (v != i) return false;
  }
  return true;
}

bool Finite(const Tensor& w) {
  const float* d = w.data<float>();
  for (int64_t i = 0; i < w.size(); ++i) {
    if (!std::isfinite(d[i])) return false;
  }
  return true;
}

class FuseOneHotMatMul final : public GraphPass {
 public:
  std::string name() const override { return "FuseOneHotMatMul"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    if (!CanProduce(ctx, graph, "com.onyx", "OneHotMatMul")) return 0;
    std::vector<ir::Node*> matmuls;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && n->op_type() == "MatMul" && n->inputs().size() == 2) matmuls.push_back(n.get());
    }
    int rewrites = 0;
    for (ir::Node* mm : matmuls) {
      const Tensor* w = ConstantInput(*mm, 1);
      if (!w || w->type() != DataType::kFloat || w->rank() != 2 || !mm->output(0)) continue;
      ir::Node* cast = Producer(mm->input(0), "Cast");
      if (!cast || SoleConsumer(mm->input(0)) != mm || AttrInt(*cast, "to", 0) != int64_t{1}) continue;  // FLOAT
      ir::Node* eq = Producer(cast->input(0), "Equal");
      if (!eq || SoleConsumer(cast->input(0)) != cast || eq->inputs().size() != 2) continue;
      const int64_t k = w->dim(0);
      int side = -1;
      for (int s = 0; s < 2; ++s) {
        const Tensor* r = ConstantInput(*eq, static_cast<size_t>(s));
        if (r && (r->type() == DataType::kInt32 || r->type() == DataType::kInt64) && IsRange(*r, k)) side = s;
      }
      if (side < 0) continue;
      ir::Value* idx = eq->input(static_cast<size_t>(1 - side));
      const ir::SymShape* is = idx && idx->type().shape ? &*idx->type().shape : nullptr;
      const ir::SymShape* as = mm->input(0)->type().shape ? &*mm->input(0)->type().shape : nullptr;
      const size_t r_rank = static_cast<size_t>(ConstantInput(*eq, static_cast<size_t>(side))->rank());
      if (!is || !as || is->empty() || is->size() != as->size() || is->size() < r_rank || !is->back().known() ||
          is->back().value != 1) {
        continue;
      }
      if (!Finite(*w)) continue;
      const std::string name = mm->name(), out = mm->output(0)->name(), idx_name = idx->name();
      const std::string w_name = mm->input(1)->name();
      const ir::Type type = mm->output(0)->type();
      graph.RemoveNode(mm);
      graph.RemoveNode(cast);
      graph.RemoveNode(eq);
      graph.AddNode(name, "OneHotMatMul", "com.onyx", ir::kOnyxDomainOpset, {idx_name, w_name}, {out}, {});
      graph.FindValue(out)->set_type(type);
      ++rewrites;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kExtended, 8, FuseOneHotMatMul);

}  // namespace
}  // namespace onyx::opt
