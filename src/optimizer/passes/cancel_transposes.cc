// Two Transposes in a row whose permutations cancel are removed: readers of the second read the first's
// input. A pair that does not cancel is left as it is (the layout passes of level `all` merge those).
#include <set>

#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

class CancelTransposes final : public GraphPass {
 public:
  std::string name() const override { return "CancelTransposes"; }
  Result<int> Run(ir::Graph& graph, const PassContext&) const override {
    std::vector<ir::Node*> outers;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && n->op_type() == "Transpose") outers.push_back(n.get());
    }
    int rewrites = 0;
    std::set<const ir::Node*> removed;
    for (ir::Node* outer : outers) {
      if (removed.count(outer)) continue;
      ir::Node* inner = outer->input(0) ? outer->input(0)->producer() : nullptr;
      if (!inner || inner->op_type() != "Transpose" || !inner->domain().empty() || !inner->input(0)) continue;
      std::vector<int64_t> p1 = TransposePerm(*inner), p2 = TransposePerm(*outer);
      if (p1.empty() || p1.size() != p2.size()) continue;
      // out[i] = mid[p2[i]] = in[p1[p2[i]]]: the identity when p1[p2[i]] == i for every axis.
      bool cancels = true;
      for (size_t i = 0; i < p2.size(); ++i) {
        if (p2[i] < 0 || p2[i] >= static_cast<int64_t>(p1.size()) || p1[p2[i]] != static_cast<int64_t>(i))
          cancels = false;
      }
      if (!cancels) continue;
      if (graph.ReplaceAllUses(outer->output(0), inner->input(0))) {
        graph.RemoveNode(outer);
        removed.insert(outer);
        if (inner->output(0)->consumers().empty() && !inner->output(0)->is_graph_output()) {
          graph.RemoveNode(inner);
          removed.insert(inner);
        }
        ++rewrites;
      }
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kBasic, 14, CancelTransposes);

}  // namespace
}  // namespace onyx::opt
