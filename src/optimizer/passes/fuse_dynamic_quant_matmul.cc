// Fuses what onnxruntime's quantize_dynamic writes for a MatMul (level extended), in two steps as onnxruntime does:
//   MatMulInteger(a, b const, a_zp, b_zp) -> Cast(float) -> Mul(., Mul(a_scale, b_scale const)) [-> Add(bias const)]
//       => com.microsoft:MatMulIntegerToFloat(a, b, a_scale, b_scale, a_zp, b_zp [, bias])
//   DynamicQuantizeLinear(x) -> (a, a_scale, a_zp) read only by one MatMulIntegerToFloat
//       => com.microsoft:DynamicQuantizeMatMul(x, b, b_scale, b_zp [, bias])
// a's scale and zero point are per tensor; b's per tensor or per column. The float product, its scale and the bias
// are what the fused operators compute, in the same order. Each step runs only where the kernel registry runs its
// operator for these types.
#include <set>

#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"
#include "optimizer/qdq_util.h"

namespace onyx::opt {
namespace {

bool IsScalar(const ir::Value* v) {
  if (!v || !v->type().is_tensor() || !v->type().shape) return false;
  for (const ir::Dim& d : *v->type().shape) {
    if (!d.known() || d.value != 1) return false;
  }
  return true;
}

// v is a float constant of one value or of n values along its last axis (a row vector).
bool IsPerColumn(const ir::Value* v, int64_t n) {
  const Tensor* t = ConstantOf(v);
  if (!t || t->type() != DataType::kFloat) return false;
  if (t->size() == 1) return true;
  return t->rank() == 1 && t->dim(0) == n;
}

DataType TypeOf(const ir::Value* v) { return v ? v->type().elem_type : DataType::kUndefined; }

// The operand of binary node n that is not `v` (n reads v exactly once).
ir::Value* Other(const ir::Node* n, const ir::Value* v) {
  if (n->inputs().size() != 2) return nullptr;
  if (n->input(0) == v && n->input(1) != v) return n->input(1);
  if (n->input(1) == v && n->input(0) != v) return n->input(0);
  return nullptr;
}

class FuseDynamicQuantMatMul final : public GraphPass {
 public:
  std::string name() const override { return "FuseDynamicQuantMatMul"; }

  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    int rewrites = 0;
    std::vector<ir::Node*> mmis;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && n->op_type() == "MatMulInteger") mmis.push_back(n.get());
    }
    for (ir::Node* n : mmis) {
      ONYX_ASSIGN_OR_RETURN(bool done, ToFloat(graph, ctx, n));
      rewrites += done ? 1 : 0;
    }
    std::vector<ir::Node*> fused;
    for (const auto& n : graph.nodes()) {
      if (n->domain() == "com.microsoft" && n->op_type() == "MatMulIntegerToFloat") fused.push_back(n.get());
    }
    for (ir::Node* n : fused) rewrites += WithDynamicQuantize(graph, ctx, n) ? 1 : 0;
    return rewrites;
  }

 private:
  static Result<bool> ToFloat(ir::Graph& graph, const PassContext& ctx, ir::Node* mmi) {
    ir::Value* a = mmi->input(0);
    ir::Value* b = mmi->input(1);
    const Tensor* bq = ConstantOf(b);
    if (!a || !bq || bq->rank() != 2) return false;
    const int64_t n = bq->dim(1);
    ir::Value* a_zp = mmi->input(2);
    ir::Value* b_zp = mmi->input(3);
    if (a_zp && !IsScalar(a_zp)) return false;
    if (b_zp) {
      const Tensor* z = ConstantOf(b_zp);
      if (!z || (z->size() != 1 && (z->rank() != 1 || z->dim(0) != n))) return false;
    }
    ir::Node* cast = SoleConsumer(mmi->output(0));
    if (!cast || cast->op_type() != "Cast" || !cast->domain().empty() ||
        AttrInt(*cast, "to", 0) != static_cast<int64_t>(DataType::kFloat))
      return false;
    ir::Node* mul = SoleConsumer(cast->output(0));
    if (!mul || mul->op_type() != "Mul" || !mul->domain().empty()) return false;
    ir::Value* scale = Other(mul, cast->output(0));
    ir::Node* scale_mul = scale ? scale->producer() : nullptr;
    if (!scale_mul || scale_mul->op_type() != "Mul" || !scale_mul->domain().empty()) return false;
    // One factor is a's scale (one value), the other b's constant scale (one value or one per column).
    ir::Value* a_scale = scale_mul->input(0);
    ir::Value* b_scale = scale_mul->input(1);
    if (!IsPerColumn(b_scale, n)) std::swap(a_scale, b_scale);
    if (!IsPerColumn(b_scale, n) || !IsScalar(a_scale) || TypeOf(a_scale) != DataType::kFloat) return false;
    ir::Value* out = mul->output(0);
    ir::Node* add = SoleConsumer(out);
    ir::Value* bias = nullptr;
    if (add && add->op_type() == "Add" && add->domain().empty()) {
      ir::Value* c = Other(add, out);
      const Tensor* ct = ConstantOf(c);
      if (ct && ct->type() == DataType::kFloat && ct->rank() == 1 && ct->dim(0) == n) {
        bias = c;
        out = add->output(0);
      }
    }
    const DataType ta = TypeOf(a), tb = bq->type();
    if (!qdq::Is8Bit(ta) || !qdq::Is8Bit(tb)) return false;
    if (!qdq::CanRun(ctx, graph, "com.microsoft", "MatMulIntegerToFloat",
                     {ta, tb, DataType::kFloat, DataType::kFloat, ta, tb, DataType::kFloat}))
      return false;
    std::vector<std::string> inputs = {a->name(),
                                       b->name(),
                                       a_scale->name(),
                                       b_scale->name(),
                                       a_zp ? a_zp->name() : std::string(),
                                       b_zp ? b_zp->name() : std::string(),
                                       bias ? bias->name() : std::string()};
    while (!inputs.empty() && inputs.back().empty()) inputs.pop_back();
    const std::string name = mmi->name(), out_name = out->name();
    if (bias) graph.RemoveNode(add);
    graph.RemoveNode(mul);
    graph.RemoveNode(cast);
    graph.RemoveNode(mmi);
    qdq::RemoveIfUnused(graph, scale_mul);
    auto it = graph.opsets().find("com.microsoft");
    graph.AddNode(name, "MatMulIntegerToFloat", "com.microsoft", it == graph.opsets().end() ? 1 : it->second, inputs,
                  {out_name}, {});
    return true;
  }

  static bool WithDynamicQuantize(ir::Graph& graph, const PassContext& ctx, ir::Node* mf) {
    ir::Node* dql = mf->input(0) ? mf->input(0)->producer() : nullptr;
    if (!dql || dql->op_type() != "DynamicQuantizeLinear" || !dql->domain().empty()) return false;
    // Each of the quantizer's outputs feeds this node only, as its a, a_scale and a_zero_point.
    for (size_t i = 0; i < 3; ++i) {
      ir::Value* o = dql->output(i);
      if (!o || SoleConsumer(o) != mf || mf->input(i == 0 ? 0 : i == 1 ? 2 : 4) != o) return false;
    }
    const DataType tb = TypeOf(mf->input(1));
    if (!qdq::CanRun(ctx, graph, "com.microsoft", "DynamicQuantizeMatMul",
                     {DataType::kFloat, tb, DataType::kFloat, tb, DataType::kFloat}))
      return false;
    auto name_of = [&](size_t i) { return mf->input(i) ? mf->input(i)->name() : std::string(); };
    std::vector<std::string> inputs = {dql->input(0)->name(), name_of(1), name_of(3), name_of(5), name_of(6)};
    while (!inputs.empty() && inputs.back().empty()) inputs.pop_back();
    const std::string name = mf->name(), out = mf->output(0)->name();
    const int64_t opset = mf->opset();
    graph.RemoveNode(mf);
    graph.RemoveNode(dql);
    graph.AddNode(name, "DynamicQuantizeMatMul", "com.microsoft", opset, inputs, {out}, {});
    return true;
  }
};

ONYX_REGISTER_PASS(Level::kExtended, 3, FuseDynamicQuantMatMul);

}  // namespace
}  // namespace onyx::opt
