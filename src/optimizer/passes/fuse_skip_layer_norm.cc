// The residual connection of a transformer block, Add(a, b) feeding a LayerNormalization over the last axis
// (standard or com.onyx), becomes one com.onyx:SkipLayerNormalization(input, skip, gamma, beta?, bias?)
// (docs/FUSED_OPERATORS.md). One operand of the Add (the input) has the Add's shape; the other (the skip)
// has it too, or broadcasts over its leading axes ([S, E] position tables, [E]). When the input is itself
// Add(y, bias) with a 1-D float constant bias over the last axis, read by nothing else (the output projection's
// bias before the residual Add), that Add joins the fusion as the bias input. The Add's result stays available
// as the optional `sum` output when something else reads it (the residual stream of the next block).
// gamma and beta must be 1-D of the last axis's (known) size.
#include <string>
#include <vector>

#include "ir/op_schema.h"
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

bool SameShape(const ir::SymShape* a, const ir::SymShape* b) {
  if (a == nullptr || b == nullptr || a->size() != b->size()) return false;
  for (size_t i = 0; i < a->size(); ++i) {
    if (!SameDim((*a)[i], (*b)[i])) return false;
  }
  return true;
}

// A dim of the skip that can only ever equal `full` where the Add runs: the same dim, or min(s, n) against s
// (ir::MinDim: a position table sliced to the sequence length, which the Add needs equal to it).
bool FitsDim(const ir::Dim& d, const ir::Dim& full) {
  if (SameDim(d, full)) return true;
  if (d.known() || full.known() || full.param.empty()) return false;
  const std::string prefix = "min(" + full.param + ",";
  return d.param.size() > prefix.size() + 1 && d.param.compare(0, prefix.size(), prefix) == 0 && d.param.back() == ')';
}

// `t` less its leading 1s is a non-empty suffix of `full`.
bool SuffixBroadcast(const ir::SymShape* t, const ir::SymShape* full) {
  if (t == nullptr || full == nullptr) return false;
  size_t first = 0;
  while (first < t->size() && (*t)[first].known() && (*t)[first].value == 1) ++first;
  const size_t kept = t->size() - first;
  if (kept == 0 || kept > full->size()) return false;
  for (size_t i = 0; i < kept; ++i) {
    if (!FitsDim((*t)[t->size() - 1 - i], (*full)[full->size() - 1 - i])) return false;
  }
  return true;
}

// A value of static shape [size].
bool IsVector(const ir::Value* v, int64_t size) {
  const ir::SymShape* s = FloatShapeOf(v);
  return s != nullptr && s->size() == 1 && (*s)[0].known() && (*s)[0].value == size;
}

class FuseSkipLayerNorm final : public GraphPass {
 public:
  std::string name() const override { return "FuseSkipLayerNorm"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    if (!CanProduce(ctx, graph, "com.onyx", "SkipLayerNormalization")) return 0;
    std::vector<ir::Node*> norms;
    for (const auto& n : graph.nodes()) {
      const bool domain_ok = n->domain().empty() || n->domain() == "com.onyx";
      if (domain_ok && n->op_type() == "LayerNormalization") norms.push_back(n.get());
    }
    int rewrites = 0;
    for (ir::Node* ln : norms) {
      ir::Value* s = ln->input(0);
      ir::Node* add = s ? s->producer() : nullptr;
      if (add == nullptr || add->op_type() != "Add" || !add->domain().empty() || add->inputs().size() != 2) continue;
      const ir::SymShape* shape = FloatShapeOf(s);
      if (shape == nullptr || shape->empty() || !shape->back().known()) continue;
      const int64_t rank = static_cast<int64_t>(shape->size());
      const int64_t cols = shape->back().value;
      if (const ir::Attribute* a = ln->attribute("axis"); a != nullptr && a->i != -1 && a->i != rank - 1) continue;
      if (const ir::Attribute* a = ln->attribute("stash_type"); a != nullptr && a->i != 1) continue;
      if (!IsVector(ln->input(1), cols) || (ln->input(2) != nullptr && !IsVector(ln->input(2), cols))) continue;
      // LayerNormalization reads s once; any other reader keeps it as the sum output.
      size_t ln_reads = 0;
      for (const ir::Node* c : s->consumers()) ln_reads += c == ln;
      if (ln_reads != 1) continue;
      const bool sum_needed = s->is_graph_output() || s->consumers().size() > 1;

      // Choose the input (the full-shaped operand, preferring one that carries a bias Add) and the skip.
      ir::Value* input = nullptr;
      ir::Value* skip = nullptr;
      ir::Node* bias_add = nullptr;
      ir::Value* bias = nullptr;
      for (size_t i = 0; i < 2 && bias_add == nullptr; ++i) {
        ir::Value* a = add->input(i);
        ir::Value* b = add->input(1 - i);
        if (a == b || !SameShape(FloatShapeOf(a), shape) || !SuffixBroadcast(FloatShapeOf(b), shape)) continue;
        if (input == nullptr) {
          input = a;
          skip = b;
        }
        ir::Node* p = a->producer();
        if (p == nullptr || SoleConsumer(a) != add || p->op_type() != "Add" || !p->domain().empty() ||
            p->inputs().size() != 2) {
          continue;
        }
        for (size_t j = 0; j < 2; ++j) {
          const Tensor* c = ConstantInput(*p, j);
          ir::Value* y = p->input(1 - j);
          if (c != nullptr && c->type() == DataType::kFloat && c->rank() == 1 && c->dim(0) == cols &&
              SameShape(FloatShapeOf(y), shape)) {
            input = y;
            skip = b;
            bias_add = p;
            bias = p->input(j);
            break;
          }
        }
      }
      if (input == nullptr) continue;

      std::vector<std::string> inputs = {input->name(), skip->name(), ln->input(1)->name(),
                                         ln->input(2) ? ln->input(2)->name() : std::string()};
      if (bias != nullptr) inputs.push_back(bias->name());
      while (inputs.back().empty()) inputs.pop_back();
      std::vector<std::string> outputs;
      for (size_t i = 0; i < 3; ++i) outputs.push_back(ln->output(i) ? ln->output(i)->name() : std::string());
      if (sum_needed) outputs.push_back(s->name());
      while (outputs.back().empty()) outputs.pop_back();
      std::map<std::string, ir::Attribute> attrs;
      attrs["epsilon"].name = "epsilon";
      attrs["epsilon"].type = ir::AttrType::kFloat;
      attrs["epsilon"].f = 1e-5f;
      if (const ir::Attribute* e = ln->attribute("epsilon")) attrs["epsilon"].f = e->f;
      const std::string node_name = ln->name() + "_skip";
      graph.RemoveNode(ln);
      graph.RemoveNode(add);
      if (bias_add != nullptr) graph.RemoveNode(bias_add);
      graph.AddNode(node_name, "SkipLayerNormalization", "com.onyx", ir::kOnyxDomainOpset, inputs, outputs, std::move(attrs));
      ++rewrites;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kExtended, 26, FuseSkipLayerNorm);

}  // namespace
}  // namespace onyx::opt
