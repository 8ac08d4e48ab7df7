// A Conv whose output is added (Add, or Sum of two) to another tensor of the same shape (the residual connection of
// ResNet-like blocks) becomes com.onyx:FusedConv with that tensor as its 4th input Z: the sum is made while the
// convolution's output is still in cache, and FuseActivation can then take a following activation too.
#include "ir/op_schema.h"
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

// Equal shapes whose dims are each known or the same named symbol (an unknown dim proves nothing).
bool SameShape(const ir::Value* a, const ir::Value* b) {
  const ir::SymShape* sa = FloatShapeOf(a);
  const ir::SymShape* sb = FloatShapeOf(b);
  if (!sa || !sb || sa->size() != sb->size()) return false;
  for (size_t i = 0; i < sa->size(); ++i) {
    if (!SameDim((*sa)[i], (*sb)[i])) return false;
  }
  return true;
}

class FuseConvResidual final : public GraphPass {
 public:
  std::string name() const override { return "FuseConvResidual"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    if (!CanProduce(ctx, graph, "com.onyx", "FusedConv")) return 0;
    std::vector<ir::Node*> convs;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && n->op_type() == "Conv") convs.push_back(n.get());
    }
    int rewrites = 0;
    for (ir::Node* conv : convs) {
      ir::Value* out = conv->output(0);
      if (!out || out->type().elem_type != DataType::kFloat) continue;
      ir::Node* add = SoleConsumer(out);
      // Older exporters write the residual sum as Sum of two inputs.
      if (!add || (add->op_type() != "Add" && add->op_type() != "Sum") || !add->domain().empty() ||
          add->inputs().size() != 2) {
        continue;
      }
      ir::Value* z = add->input(0) == out ? add->input(1) : add->input(0);
      if (z == nullptr || z == out || !SameShape(z, out) || !SameShape(add->output(0), out)) continue;
      // Z cannot depend on the Conv: the Add is the only reader of the Conv's output.
      std::vector<std::string> inputs;
      for (size_t i = 0; i < 3; ++i) inputs.push_back(conv->input(i) ? conv->input(i)->name() : std::string());
      inputs.push_back(z->name());
      std::string result = add->output(0)->name(), node_name = conv->name();
      std::map<std::string, ir::Attribute> attrs = conv->attributes();
      graph.RemoveNode(add);
      graph.RemoveNode(conv);
      graph.AddNode(node_name, "FusedConv", "com.onyx", ir::kOnyxDomainOpset, inputs, {result}, std::move(attrs));
      ++rewrites;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kExtended, 5, FuseConvResidual);

}  // namespace
}  // namespace onyx::opt
