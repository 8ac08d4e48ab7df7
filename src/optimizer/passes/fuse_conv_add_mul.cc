// A Conv with constant weights followed by a Mul by a constant per-channel (or scalar) scale, or by an Add of
// a constant per-channel (or scalar) offset, takes the Mul into its weights and bias or the Add into its bias:
//   Mul: W'[m] = W[m] * s[m], b'[m] = b[m] * s[m];   Add: b'[m] = b[m] + c[m].
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

// The per-channel values of a constant that broadcasts over a Conv output of rank `rank` with `m` channels
// along axis 1 only (every other dim 1), expanded to m floats; empty when it does not.
std::vector<float> PerChannel(const Tensor* c, int64_t rank, int64_t m) {
  if (c == nullptr || c->type() != DataType::kFloat || c->rank() > rank) return {};
  int64_t channels = 1;
  for (int64_t j = 0; j < c->rank(); ++j) {
    const int64_t axis = rank - c->rank() + j;  // right-aligned, as broadcasting does
    const int64_t d = c->dim(j);
    if (axis == 1 && (d == m || d == 1)) {
      channels = d;
    } else if (d != 1) {
      return {};
    }
  }
  const float* v = c->data<float>();
  std::vector<float> out(static_cast<size_t>(m));
  for (int64_t i = 0; i < m; ++i) out[static_cast<size_t>(i)] = v[channels == 1 ? 0 : i];
  return out;
}

class FuseConvAddMul final : public GraphPass {
 public:
  std::string name() const override { return "FuseConvAddMul"; }
  Result<int> Run(ir::Graph& graph, const PassContext&) const override {
    std::vector<ir::Node*> convs;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && n->op_type() == "Conv") convs.push_back(n.get());
    }
    int rewrites = 0;
    for (ir::Node* conv : convs) {
      // Several Adds/Muls in a row fold one after the other.
      while (FoldNext(graph, conv)) ++rewrites;
    }
    return rewrites;
  }

 private:
  static bool FoldNext(ir::Graph& graph, ir::Node* conv) {
    ir::Value* out = conv->output(0);
    ir::Node* next = SoleConsumer(out);
    if (!next || !next->domain().empty() || (next->op_type() != "Add" && next->op_type() != "Mul")) return false;
    if (next->inputs().size() != 2) return false;
    const size_t other = next->input(0) == out ? 1 : 0;
    if (next->input(1 - other) != out) return false;
    const Tensor* w = ConstantInput(*conv, 1);
    if (!w || w->type() != DataType::kFloat || w->rank() < 3) return false;
    const int64_t m = w->dim(0);
    const Tensor* b = conv->input(2) ? ConstantInput(*conv, 2) : nullptr;
    if (conv->input(2) && (!b || b->type() != DataType::kFloat || b->size() != m)) return false;
    std::vector<float> c = PerChannel(ConstantInput(*next, other), w->rank(), m);
    if (c.empty()) return false;
    // The result keeps the Conv output's type only if broadcasting added no dims: checked by PerChannel's rank.
    auto bias = Tensor::Create(DataType::kFloat, {m});
    if (!bias.ok()) return false;
    Tensor new_b = bias.take();
    for (int64_t i = 0; i < m; ++i) new_b.data<float>()[i] = b ? b->data<float>()[i] : 0.0f;
    if (next->op_type() == "Add") {
      for (int64_t i = 0; i < m; ++i) new_b.data<float>()[i] += c[static_cast<size_t>(i)];
    } else {
      auto scaled = Tensor::Create(DataType::kFloat, w->shape());
      if (!scaled.ok()) return false;
      Tensor new_w = scaled.take();
      const int64_t per = w->size() / m;
      for (int64_t i = 0; i < m; ++i) {
        const float s = c[static_cast<size_t>(i)];
        for (int64_t k = 0; k < per; ++k) new_w.data<float>()[i * per + k] = w->data<float>()[i * per + k] * s;
        new_b.data<float>()[i] *= s;
      }
      auto wv = graph.AddConstant(conv->input(1)->name() + "_scaled", std::move(new_w));
      if (!wv.ok()) return false;
      graph.ReplaceInput(conv, 1, wv.value());
    }
    auto bv = graph.AddConstant(conv->name() + "_bias", std::move(new_b));
    if (!bv.ok()) return false;
    graph.ReplaceInput(conv, 2, bv.value());
    ir::Value* result = next->output(0);
    graph.RemoveNode(next);
    graph.RenameOutput(conv, out, result);
    return true;
  }
};

ONYX_REGISTER_PASS(Level::kBasic, 52, FuseConvAddMul);

}  // namespace
}  // namespace onyx::opt
