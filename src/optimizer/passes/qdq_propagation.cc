// QDQ propagation (level extended, before the QDQ fusions): in a model quantized in QDQ format
// (QuantizeLinear / DequantizeLinear around float operators), moves the quantization across operators that
// only move or select elements, so that the float operators the fusions take end up directly between a
// DequantizeLinear and a QuantizeLinear, as onnxruntime's QDQ propagation does. Every rewrite is exact:
//   DQ -> T  becomes  T -> DQ  for T in Reshape, Transpose, Squeeze, Unsqueeze, Flatten, Slice, Gather (constant
//            indices) and MaxPool (DQ with a positive scale is increasing, so it commutes with max), when the
//            DQ is per tensor, T is its only reader and T has a kernel for the 8-bit type;
//   T -> Q   becomes  Q -> T  for the operators above that keep every element (Reshape, Transpose, Squeeze,
//            Unsqueeze, Flatten), when Q is per tensor and T's only reader; and for MaxPool when Q's scale is
//            positive (Q is then non-decreasing, so Q(max x) == max Q(x)): the pool reads bytes instead of floats
//            (a float MaxPool after LRN between two Q/DQ pairs was 6% of Inception v1 QDQ), Q runs on its input;
//   DQ -> Q  with the same parameters is removed (Q(DQ(x)) == x);
//   Relu -> Q and Clip -> Q are removed when Q's range already clamps there (zero point at the type's minimum
//            for Relu; Q(min) and Q(max) at the type's ends for Clip), as onnxruntime's ReluQuantFusion does.
#include <cmath>
#include <limits>
#include <set>

#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"
#include "optimizer/qdq_util.h"

namespace onyx::opt {
namespace {

using qdq::QParams;

bool KeepsEveryElement(const std::string& op) {
  static const std::set<std::string> k = {"Reshape", "Transpose", "Squeeze", "Unsqueeze", "Flatten"};
  return k.count(op) > 0;
}

bool MovesElements(const ir::Node& n) {
  if (!n.domain().empty()) return false;
  const std::string& op = n.op_type();
  if (KeepsEveryElement(op) || op == "Slice") return true;
  if (op == "Gather") return ConstantInput(n, 1) != nullptr;
  if (op == "MaxPool") {
    // The indices output (a second output) reads positions, not values; a used one keeps the node float.
    const ir::Value* indices = n.output(1);
    return !indices || (indices->consumers().empty() && !indices->is_graph_output());
  }
  return false;
}

ir::Type WithElemType(const ir::Value* v, DataType t) {
  ir::Type type = v->type();
  type.elem_type = t;
  return type;
}

// The value Q would give x with the kernel's arithmetic (round half to even, then the zero point), unclamped.
double QuantizeUnclamped(float x, const QParams& q) {
  return static_cast<double>(std::nearbyint(x / q.scales[0])) + q.zero_points[0];
}

class Propagator {
 public:
  Propagator(ir::Graph& graph, const PassContext& ctx) : graph_(graph), ctx_(ctx) {}

  Result<int> Run() {
    int total = 0;
    for (;;) {
      ONYX_ASSIGN_OR_RETURN(std::vector<ir::Node*> order, graph_.TopologicalOrder());
      int changed = 0;
      std::set<ir::Node*> removed;
      for (ir::Node* n : order) {
        if (removed.count(n)) continue;
        ir::Node* gone = nullptr;
        ONYX_ASSIGN_OR_RETURN(bool done, Rewrite(n, &gone));
        if (done) {
          ++changed;
          if (gone) removed.insert(gone);
          // Later nodes in `order` may have been removed or rewired: take the next round from a fresh order.
          break;
        }
      }
      total += changed;
      if (changed == 0) return total;
    }
  }

 private:
  Result<bool> Rewrite(ir::Node* n, ir::Node** gone) {
    if (!n->domain().empty()) return false;
    const std::string& op = n->op_type();
    if (op == "DequantizeLinear") return DequantizeForward(n, gone);
    if (op == "QuantizeLinear") {
      ONYX_ASSIGN_OR_RETURN(bool done, QuantizeBackward(n));
      if (done) return true;
      if (CancelPair(n)) return true;
      return DropClamp(n);
    }
    return false;
  }

  // DQ -> T  =>  T -> DQ.
  Result<bool> DequantizeForward(ir::Node* dq_node, ir::Node** gone) {
    std::optional<QParams> dq = qdq::ParamsOf(dq_node);
    if (!dq || !dq->per_tensor()) return false;
    ir::Value* dq_out = dq_node->output(0);
    ir::Node* t = SoleConsumer(dq_out);
    if (!t || t->input(0) != dq_out || !MovesElements(*t) || !t->output(0)) return false;
    std::vector<DataType> types(t->inputs().size(), DataType::kUndefined);
    types[0] = dq->type;
    for (size_t i = 1; i < t->inputs().size(); ++i) {
      if (t->input(i)) types[i] = t->input(i)->type().elem_type;
    }
    if (!qdq::CanRun(ctx_, graph_, "", t->op_type(), types)) return false;
    ir::Value* xq = dq_node->input(0);
    ir::Value* out = t->output(0);
    const std::string tq_name = graph_.UniqueName(out->name() + "_quantized");
    ir::Value* tq = graph_.GetOrCreateValue(tq_name);
    tq->set_type(WithElemType(out, dq->type));
    graph_.ReplaceInput(t, 0, xq);
    graph_.RenameOutput(t, out, tq);
    std::vector<std::string> inputs;
    for (const ir::Value* v : dq_node->inputs()) inputs.push_back(v ? v->name() : std::string());
    inputs[0] = tq_name;
    graph_.AddNode(graph_.UniqueName(dq_node->name() + "_moved"), "DequantizeLinear", "", dq_node->opset(), inputs,
                   {out->name()}, dq_node->attributes());
    graph_.RemoveNode(dq_node);
    *gone = dq_node;
    return true;
  }

  // T -> Q  =>  Q -> T.
  Result<bool> QuantizeBackward(ir::Node* q_node) {
    std::optional<QParams> q = qdq::ParamsOf(q_node);
    if (!q || !q->per_tensor()) return false;
    ir::Value* t_out = q_node->input(0);
    ir::Node* t = t_out->producer();
    if (!t || !t->domain().empty() || t->output(0) != t_out || SoleConsumer(t_out) != q_node || !t->input(0))
      return false;
    const bool moves_past = KeepsEveryElement(t->op_type()) ? t->outputs().size() == 1
                                                            : t->op_type() == "MaxPool" && MovesElements(*t) &&
                                                                  q->scales[0] > 0.0f && std::isfinite(q->scales[0]);
    if (!moves_past) return false;
    ir::Value* x = t->input(0);
    // Already quantized before T: DequantizeForward's case, which leaves no work for a moved Q.
    if (x->producer() && x->producer()->op_type() == "DequantizeLinear") return false;
    if (!qdq::CanRun(ctx_, graph_, "", t->op_type(), {q->type})) return false;
    ir::Value* q_out = q_node->output(0);
    std::vector<std::string> inputs;
    for (const ir::Value* v : q_node->inputs()) inputs.push_back(v ? v->name() : std::string());
    inputs[0] = x->name();
    const std::string xq_name = graph_.UniqueName(x->name() + "_quantized");
    const std::string name = q_node->name();
    const int64_t opset = q_node->opset();
    std::map<std::string, ir::Attribute> attrs = q_node->attributes();
    graph_.RemoveNode(q_node);
    graph_.AddNode(graph_.UniqueName(name + "_moved"), "QuantizeLinear", "", opset, inputs, {xq_name},
                   std::move(attrs));
    ir::Value* xq = graph_.FindValue(xq_name);
    xq->set_type(WithElemType(x, q->type));
    graph_.ReplaceInput(t, 0, xq);
    graph_.RenameOutput(t, t_out, q_out);
    return true;
  }

  // DQ -> Q with the same parameters: Q's readers read DQ's input.
  bool CancelPair(ir::Node* q_node) {
    std::optional<QParams> q = qdq::ParamsOf(q_node);
    std::optional<QParams> dq = qdq::DequantizeOf(q_node->input(0));
    if (!q || !dq || !qdq::SameParams(*q, *dq) || !q->per_tensor()) return false;
    ir::Node* dq_node = dq->node;
    if (!graph_.ReplaceAllUses(q_node->output(0), dq_node->input(0))) return false;
    graph_.RemoveNode(q_node);
    qdq::RemoveIfUnused(graph_, dq_node);
    return true;
  }

  // Relu -> Q or Clip -> Q where Q clamps at the same place.
  bool DropClamp(ir::Node* q_node) {
    std::optional<QParams> q = qdq::ParamsOf(q_node);
    if (!q || !q->per_tensor()) return false;
    ir::Value* in = q_node->input(0);
    ir::Node* act = in->producer();
    if (!act || !act->domain().empty() || SoleConsumer(in) != q_node || !act->input(0)) return false;
    float lo = -std::numeric_limits<float>::infinity(), hi = std::numeric_limits<float>::infinity();
    if (act->op_type() == "Relu") {
      lo = 0.0f;
    } else if (act->op_type() == "Clip") {
      if (act->opset() < 11) {
        if (const ir::Attribute* a = act->attribute("min")) lo = a->f;
        if (const ir::Attribute* a = act->attribute("max")) hi = a->f;
      } else {
        for (size_t i = 1; i <= 2; ++i) {
          if (!act->input(i)) continue;
          const Tensor* b = ConstantInput(*act, i);
          if (!b || b->type() != DataType::kFloat || b->size() != 1) return false;
          (i == 1 ? lo : hi) = b->data<float>()[0];
        }
      }
    } else {
      return false;
    }
    // Q(x) == Q(clamp(x, lo, hi)) for every x exactly when Q(lo) and Q(hi) already clamp to the type's ends
    // (Q is monotonic).
    if (std::isfinite(lo) && QuantizeUnclamped(lo, *q) > q->qmin()) return false;
    if (std::isnan(lo) || std::isnan(hi)) return false;
    if (std::isfinite(hi) && QuantizeUnclamped(hi, *q) < q->qmax()) return false;
    graph_.ReplaceInput(q_node, 0, act->input(0));
    qdq::RemoveIfUnused(graph_, act);
    return true;
  }

  ir::Graph& graph_;
  const PassContext& ctx_;
};

bool HasQuantizeNodes(const ir::Graph& graph) {
  for (const auto& n : graph.nodes()) {
    if (n->domain().empty() && (n->op_type() == "QuantizeLinear" || n->op_type() == "DequantizeLinear")) return true;
  }
  return false;
}

class QdqPropagation final : public GraphPass {
 public:
  std::string name() const override { return "QdqPropagation"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    if (!HasQuantizeNodes(graph)) return 0;
    return Propagator(graph, ctx).Run();
  }
  bool NeedsDequantizeUnfolded() const override { return true; }
};

ONYX_REGISTER_PASS(Level::kExtended, 1, QdqPropagation);

}  // namespace
}  // namespace onyx::opt
