// QDQ fusion of the products (level extended, after QdqPropagation): a float Conv, MatMul or Gemm whose operands
// are DequantizeLinear of 8-bit tensors and whose only reader is a QuantizeLinear becomes one integer operator:
//   DQ(x), DQ(w const) [, DQ(int32 bias) or float bias] -> Conv -> Q    =>  QLinearConv
//   DQ(a), DQ(b)                                         -> MatMul -> Q  =>  QLinearMatMul
//   DQ(a), DQ(b const) [, bias]                          -> Gemm -> Q    =>  com.microsoft:QGemm
// Activations are per tensor; weights per tensor or per output channel (Conv axis 0, MatMul's b per column).
// A float bias (or one dequantized at another scale) is quantized here to int32 at x_scale * w_scale with round
// half to even, as onnxruntime's quantizer does. Nothing fuses when a parameter is not constant, a DQ's output or
// the product's float output is a graph output, a Q's output is a graph output, or the float output has other
// readers; a DQ read by others stays for them. Each fused operator is produced only where the kernel registry
// runs it for these types.
#include <set>

#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"
#include "optimizer/qdq_util.h"

namespace onyx::opt {
namespace {

using qdq::QParams;
constexpr DataType kF = DataType::kFloat;

// A per-tensor DQ on an activation (or any operand), whose output is not a graph output.
std::optional<QParams> ActivationDq(const ir::Value* v) {
  std::optional<QParams> p = qdq::DequantizeOf(v);
  if (!p || !p->per_tensor() || v->is_graph_output()) return std::nullopt;
  return p;
}

// A DQ of a constant weight, per tensor or along `axis` with `channels` scales.
std::optional<QParams> WeightDq(const ir::Value* v, int64_t axis, int64_t channels) {
  std::optional<QParams> p = qdq::DequantizeOf(v);
  if (!p || v->is_graph_output() || !ConstantOf(p->node->input(0))) return std::nullopt;
  if (!p->per_tensor() && (p->axis != axis || static_cast<int64_t>(p->scales.size()) != channels)) return std::nullopt;
  return p;
}

// The 8-bit constant a DequantizeLinear producing v reads, or null.
const Tensor* DequantizedConstant(const ir::Value* v) {
  const ir::Node* p = v ? v->producer() : nullptr;
  if (!p || p->op_type() != "DequantizeLinear" || !p->domain().empty()) return nullptr;
  return ConstantOf(p->input(0));
}

// The Q that is the only reader of the product's output, when its own output is not a graph output.
std::optional<QParams> OutputQ(const ir::Value* v) {
  std::optional<QParams> q = qdq::SoleQuantizeOf(v);
  if (!q || !q->per_tensor() || q->node->output(0)->is_graph_output()) return std::nullopt;
  return q;
}

class QdqFusion final : public GraphPass {
 public:
  std::string name() const override { return "QdqFusion"; }
  bool NeedsDequantizeUnfolded() const override { return true; }

  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    int rewrites = 0;
    std::vector<ir::Node*> candidates;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && (n->op_type() == "Conv" || n->op_type() == "MatMul" || n->op_type() == "Gemm"))
        candidates.push_back(n.get());
    }
    for (ir::Node* n : candidates) {
      bool done = false;
      if (n->op_type() == "Conv") {
        ONYX_ASSIGN_OR_RETURN(done, FuseConv(graph, ctx, n));
      } else if (n->op_type() == "MatMul") {
        ONYX_ASSIGN_OR_RETURN(done, FuseMatMul(graph, ctx, n));
      } else {
        ONYX_ASSIGN_OR_RETURN(done, FuseGemm(graph, ctx, n));
      }
      rewrites += done ? 1 : 0;
    }
    return rewrites;
  }

 private:
  Result<bool> FuseConv(ir::Graph& graph, const PassContext& ctx, ir::Node* conv) const {
    if (qdq::DefaultOpset(graph) < 10 || !conv->input(0) || !conv->input(1)) return false;
    std::optional<QParams> x = ActivationDq(conv->input(0));
    std::optional<QParams> y = OutputQ(conv->output(0));
    if (!x || !y) return false;
    const Tensor* wq = DequantizedConstant(conv->input(1));
    if (!wq || wq->rank() < 3) return false;
    const int64_t m = wq->dim(0);
    std::optional<QParams> w = WeightDq(conv->input(1), 0, m);
    if (!w) return false;
    std::optional<Tensor> bias;
    if (conv->input(2)) {
      bias = qdq::QuantizedBias(conv->input(2), m, x->scales[0], w->scales);
      if (!bias) return false;
    }
    if (!qdq::CanRun(ctx, graph, "", "QLinearConv",
                     {x->type, kF, x->type, w->type, kF, w->type, kF, y->type, DataType::kInt32}))
      return false;
    ONYX_ASSIGN_OR_RETURN(auto xs, qdq::ScaleAndZeroPoint(graph, *x));
    ONYX_ASSIGN_OR_RETURN(auto ws, qdq::ScaleAndZeroPoint(graph, *w));
    ONYX_ASSIGN_OR_RETURN(auto ys, qdq::ScaleAndZeroPoint(graph, *y));
    std::string bias_name;
    if (bias) {
      ONYX_ASSIGN_OR_RETURN(ir::Value * b, graph.AddConstant(conv->name() + "_bias_int32", std::move(*bias)));
      bias_name = b->name();
    }
    std::vector<std::string> inputs = {x->node->input(0)->name(),
                                       xs.first,
                                       xs.second,
                                       w->node->input(0)->name(),
                                       ws.first,
                                       ws.second,
                                       ys.first,
                                       ys.second,
                                       bias_name};
    if (bias_name.empty()) inputs.pop_back();
    Replace(graph, conv, *y, "QLinearConv", "", inputs, conv->attributes(), {x->node, w->node, BiasDq(conv)});
    return true;
  }

  Result<bool> FuseMatMul(ir::Graph& graph, const PassContext& ctx, ir::Node* mm) const {
    if (qdq::DefaultOpset(graph) < 10 || !mm->input(0) || !mm->input(1)) return false;
    std::optional<QParams> a = ActivationDq(mm->input(0));
    std::optional<QParams> y = OutputQ(mm->output(0));
    if (!a || !y) return false;
    std::optional<QParams> b = ActivationDq(mm->input(1));
    if (!b) {
      // A constant 2-D b may be quantized per column.
      const Tensor* bq = DequantizedConstant(mm->input(1));
      if (!bq || bq->rank() != 2) return false;
      b = WeightDq(mm->input(1), 1, bq->dim(1));
      if (!b) return false;
    }
    if (!qdq::CanRun(ctx, graph, "", "QLinearMatMul", {a->type, kF, a->type, b->type, kF, b->type, kF, y->type}))
      return false;
    ONYX_ASSIGN_OR_RETURN(auto as, qdq::ScaleAndZeroPoint(graph, *a));
    ONYX_ASSIGN_OR_RETURN(auto bs, qdq::ScaleAndZeroPoint(graph, *b));
    ONYX_ASSIGN_OR_RETURN(auto ys, qdq::ScaleAndZeroPoint(graph, *y));
    Replace(graph, mm, *y, "QLinearMatMul", "",
            {a->node->input(0)->name(), as.first, as.second, b->node->input(0)->name(), bs.first, bs.second, ys.first,
             ys.second},
            {}, {a->node, b->node});
    return true;
  }

  Result<bool> FuseGemm(ir::Graph& graph, const PassContext& ctx, ir::Node* gemm) const {
    if (!gemm->input(0) || !gemm->input(1)) return false;
    const ir::Attribute* alpha = gemm->attribute("alpha");
    const ir::Attribute* beta = gemm->attribute("beta");
    // Scaled products would need alpha folded into the output scale and beta into the bias: rare in quantized
    // models, left float.
    if ((alpha && alpha->f != 1.0f) || (beta && beta->f != 1.0f && gemm->input(2))) return false;
    std::optional<QParams> a = ActivationDq(gemm->input(0));
    std::optional<QParams> y = OutputQ(gemm->output(0));
    if (!a || !y) return false;
    const Tensor* bq = DequantizedConstant(gemm->input(1));
    if (!bq || bq->rank() != 2) return false;
    const bool trans_b = AttrInt(*gemm, "transB", 0) != 0;
    const int64_t n = trans_b ? bq->dim(0) : bq->dim(1);
    std::optional<QParams> b = WeightDq(gemm->input(1), trans_b ? 0 : 1, n);
    if (!b) return false;
    std::optional<Tensor> bias;
    if (gemm->input(2)) {
      bias = qdq::QuantizedBias(gemm->input(2), n, a->scales[0], b->scales);
      if (!bias) return false;
    }
    if (!qdq::CanRun(ctx, graph, "com.microsoft", "QGemm",
                     {a->type, kF, a->type, b->type, kF, b->type, DataType::kInt32, kF, y->type}))
      return false;
    ONYX_ASSIGN_OR_RETURN(auto as, qdq::ScaleAndZeroPoint(graph, *a));
    ONYX_ASSIGN_OR_RETURN(auto bs, qdq::ScaleAndZeroPoint(graph, *b));
    ONYX_ASSIGN_OR_RETURN(auto ys, qdq::ScaleAndZeroPoint(graph, *y));
    std::string bias_name;
    if (bias) {
      ONYX_ASSIGN_OR_RETURN(ir::Value * c, graph.AddConstant(gemm->name() + "_bias_int32", std::move(*bias)));
      bias_name = c->name();
    }
    std::map<std::string, ir::Attribute> attrs;
    for (const char* k : {"transA", "transB"}) {
      if (const ir::Attribute* at = gemm->attribute(k)) attrs[k] = *at;
    }
    attrs["alpha"] = FloatAttr("alpha", 1.0f);
    Replace(graph, gemm, *y, "QGemm", "com.microsoft",
            {a->node->input(0)->name(), as.first, as.second, b->node->input(0)->name(), bs.first, bs.second, bias_name,
             ys.first, ys.second},
            std::move(attrs), {a->node, b->node, BiasDq(gemm)});
    return true;
  }

  static ir::Node* BiasDq(const ir::Node* n) {
    const ir::Value* b = n->input(2);
    ir::Node* p = b ? b->producer() : nullptr;
    return p && p->op_type() == "DequantizeLinear" ? p : nullptr;
  }

  // Removes `op` and its output Q, adds the fused node writing Q's output, and drops the DQs nobody reads now.
  static void Replace(ir::Graph& graph, ir::Node* op, const QParams& y, const std::string& fused,
                      const std::string& domain, const std::vector<std::string>& inputs,
                      std::map<std::string, ir::Attribute> attrs, const std::vector<ir::Node*>& dqs) {
    const std::string name = op->name();
    const std::string out = y.node->output(0)->name();
    auto it = graph.opsets().find(domain);
    const int64_t opset = it == graph.opsets().end() ? 1 : it->second;
    graph.RemoveNode(y.node);
    graph.RemoveNode(op);
    graph.AddNode(name, fused, domain, opset, inputs, {out}, std::move(attrs));
    std::set<ir::Node*> seen;  // two inputs may share one DQ (a MatMul of x by itself)
    for (ir::Node* dq : dqs) {
      if (dq && seen.insert(dq).second) qdq::RemoveIfUnused(graph, dq);
    }
  }
};

ONYX_REGISTER_PASS(Level::kExtended, 2, QdqFusion);

}  // namespace
}  // namespace onyx::opt
