// Folds Shape (and Size) of a value whose shape is fully known into a constant, so the shape arithmetic that
// follows (Gather, Unsqueeze, Concat, ...) folds away too.
#include <algorithm>

#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

class FoldShape final : public GraphPass {
 public:
  std::string name() const override { return "FoldShape"; }
  Result<int> Run(ir::Graph& graph, const PassContext&) const override {
    int rewrites = 0;
    std::vector<ir::Node*> candidates;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && (n->op_type() == "Shape" || n->op_type() == "Size")) candidates.push_back(n.get());
    }
    for (ir::Node* node : candidates) {
      const ir::Value* in = node->input(0);
      if (!in || !in->type().is_tensor() || !in->type().has_static_shape()) continue;
      std::vector<int64_t> dims;
      for (const ir::Dim& d : *in->type().shape) dims.push_back(d.value);
      Tensor result;
      if (node->op_type() == "Size") {
        int64_t n = 1;
        for (int64_t d : dims) n *= d;
        result = Tensor::Scalar<int64_t>(n);
      } else {
        auto rank = static_cast<int64_t>(dims.size());
        int64_t start = 0, end = rank;
        if (const ir::Attribute* a = node->attribute("start")) start = a->i;
        if (const ir::Attribute* a = node->attribute("end")) end = a->i;
        if (start < 0) start += rank;
        if (end < 0) end += rank;
        start = std::clamp<int64_t>(start, 0, rank);
        end = std::clamp<int64_t>(end, 0, rank);
        std::vector<int64_t> slice;
        for (int64_t i = start; i < end; ++i) slice.push_back(dims[static_cast<size_t>(i)]);
        result = Tensor::FromVector<int64_t>({static_cast<int64_t>(slice.size())}, slice);
      }
      ir::Value* out = node->output(0);
      graph.RemoveNode(node);
      ONYX_RETURN_IF_ERROR(graph.MakeConstant(out, std::move(result)));
      ++rewrites;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kBasic, 30, FoldShape);

}  // namespace
}  // namespace onyx::opt
