// Add(x, bias) feeding a GELU becomes one com.onyx:BiasGelu(x, bias) (docs/FUSED_OPERATORS.md): the bias of
// a transformer's first feed-forward projection, added and activated in one pass over memory. The GELU is
// com.onyx:Gelu (from FuseGelu) or the standard Gelu (ai.onnx 20); bias is a float constant over x's last
// axis ([N], or [1, ..., 1, N] no longer than x's rank), either way round in the Add, and the Add's result
// must be read by the GELU alone.
#include <string>
#include <vector>

#include "ir/op_schema.h"
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

bool IsGelu(const ir::Node& n) {
  if (n.op_type() != "Gelu") return false;
  return n.domain() == "com.onyx" || (n.domain().empty() && n.opset() >= 20);
}

// The bias of length x's last dim, as a 1-D tensor; false when `t` is not one.
bool LastAxisBias(const Tensor* t, const ir::Value* x, Tensor* bias) {
  if (t == nullptr || t->type() != DataType::kFloat || t->rank() < 1) return false;
  if (!x->type().is_tensor() || !x->type().shape || x->type().shape->empty()) return false;
  const ir::SymShape& xs = *x->type().shape;
  if (t->rank() > static_cast<int64_t>(xs.size()) || !xs.back().known()) return false;
  for (int64_t i = 0; i + 1 < t->rank(); ++i) {
    if (t->dim(i) != 1) return false;
  }
  if (t->dim(t->rank() - 1) != xs.back().value) return false;
  *bias = t->Clone().Reshaped({t->size()});
  return true;
}

class FuseBiasGelu final : public GraphPass {
 public:
  std::string name() const override { return "FuseBiasGelu"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    if (!CanProduce(ctx, graph, "com.onyx", "BiasGelu")) return 0;
    std::vector<ir::Node*> gelus;
    for (const auto& n : graph.nodes()) {
      if (IsGelu(*n)) gelus.push_back(n.get());
    }
    int rewrites = 0;
    for (ir::Node* gelu : gelus) {
      ir::Value* a = gelu->input(0);
      ir::Node* add = a ? a->producer() : nullptr;
      if (add == nullptr || gelu->output(0) == nullptr || SoleConsumer(a) != gelu || add->op_type() != "Add" ||
          !add->domain().empty())
        continue;
      if (add->inputs().size() != 2) continue;
      std::string approximate = "none";
      if (const ir::Attribute* attr = gelu->attribute("approximate")) approximate = attr->s;
      if (approximate != "none" && approximate != "tanh") continue;
      for (size_t i = 0; i < 2; ++i) {
        const ir::Value* x = add->input(i);
        Tensor bias;
        if (x == nullptr || x->type().elem_type != DataType::kFloat) continue;
        if (!LastAxisBias(ConstantInput(*add, 1 - i), x, &bias)) continue;
        const std::string x_name = x->name(), out = gelu->output(0)->name(), node_name = add->name() + "_biasgelu";
        std::string bias_name = add->input(1 - i)->name();
        if (ConstantInput(*add, 1 - i)->rank() != 1) {
          ONYX_ASSIGN_OR_RETURN(ir::Value * b, graph.AddConstant(bias_name + "_1d", std::move(bias)));
          bias_name = b->name();
        }
        ir::Attribute attr;
        attr.name = "approximate";
        attr.type = ir::AttrType::kString;
        attr.s = approximate;
        graph.RemoveNode(gelu);
        graph.RemoveNode(add);
        graph.AddNode(node_name, "BiasGelu", "com.onyx", ir::kOnyxDomainOpset, {x_name, bias_name}, {out}, {{"approximate", attr}});
        ++rewrites;
        break;
      }
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kExtended, 24, FuseBiasGelu);

}  // namespace
}  // namespace onyx::opt
