// Removes nodes whose results nobody reads and constants nothing uses.
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

bool Unused(const ir::Value* v) { return v == nullptr || (v->consumers().empty() && !v->is_graph_output()); }

class EliminateDead final : public GraphPass {
 public:
  std::string name() const override { return "EliminateDead"; }
  Result<int> Run(ir::Graph& graph, const PassContext&) const override {
    int rewrites = 0;
    for (bool changed = true; changed;) {
      changed = false;
      std::vector<ir::Node*> dead;
      for (const auto& n : graph.nodes()) {
        bool all_unused = true;
        for (const ir::Value* out : n->outputs()) all_unused = all_unused && Unused(out);
        if (all_unused) dead.push_back(n.get());
      }
      for (ir::Node* n : dead) {
        graph.RemoveNode(n);
        ++rewrites;
        changed = true;
      }
    }
    std::vector<ir::Value*> unused_constants;
    for (ir::Value* v : graph.initializers()) {
      if (!v->is_graph_input() && Unused(v)) unused_constants.push_back(v);
    }
    for (ir::Value* v : unused_constants) {
      graph.RemoveInitializer(v);
      ++rewrites;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kBasic, 90, EliminateDead);

}  // namespace
}  // namespace onyx::opt
