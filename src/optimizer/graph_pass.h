// A graph pass: a match-and-rewrite over one graph that reports how many rewrites it made.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "ir/graph.h"
#include "ir/shape_inference.h"

namespace onyx {
class KernelRegistry;
}

namespace onyx::opt {

struct PassContext {
  // The registry of the provider the rewritten nodes will run on (the CPU provider's for now): a pass only
  // produces an operator this registry has a kernel for.
  const KernelRegistry* kernels = nullptr;
  // Folding never makes a constant larger than this many bytes (or larger than its inputs together).
  int64_t max_folded_bytes = 1 << 20;
  // The values of the graph's shape tensors as inference followed them at the start of this round (a Reshape
  // target computed from x's shape: [batch, seq, 12, 64]); values made later in the round are absent. Set by
  // the optimizer; null outside it.
  const std::unordered_map<const ir::Value*, ir::ShapeValue>* shape_values = nullptr;
  // Set by the optimizer when a pass that fuses quantized (QDQ) patterns will run: ConstantFolding then leaves
  // DequantizeLinear of constants alone, so that those passes find the quantized weights, and
  // FoldDequantizeLinear folds what they leave (docs/ARCHITECTURE.md, "QDQ models").
  bool defer_dequantize_folding = false;
};

class GraphPass {
 public:
  virtual ~GraphPass() = default;
  virtual std::string name() const = 0;
  // Rewrites `graph` (not its subgraphs: the optimizer walks those) and returns the number of rewrites.
  virtual Result<int> Run(ir::Graph& graph, const PassContext& ctx) const = 0;
  // True for a pass that must see the graph only once every other pass has stopped changing it (a layout
  // change that would hide operators from later fusions): it runs once, after the repeated rounds.
  virtual bool RunsAfterConvergence() const { return false; }
  // True for a pass that needs DequantizeLinear of constant weights unfolded (PassContext::defer_dequantize_folding).
  virtual bool NeedsDequantizeUnfolded() const { return false; }
};

using PassFactory = std::function<std::unique_ptr<GraphPass>()>;

// True when `kernels` has a kernel for op_type in domain at the node's opset (or when no registry is given).
bool CanProduce(const PassContext& ctx, const ir::Graph& graph, const std::string& domain, const std::string& op_type);

// Helpers most passes share.
// The single consumer of v, or null when v has none, several, or is a graph output.
ir::Node* SoleConsumer(const ir::Value* v);
// The constant value of v (an initializer that is not an overridable graph input), or null.
const Tensor* ConstantOf(const ir::Value* v);
// Input i of node when it is a constant, or null.
const Tensor* ConstantInput(const ir::Node& node, size_t i);
// Replaces `node`, whose inputs are all constants, by its outputs evaluated with the CPU kernels. False (graph
// unchanged) when it cannot be evaluated or a result would be too large (PassContext::max_folded_bytes, and larger
// than the inputs together).
Result<bool> FoldConstantNode(ir::Graph& graph, ir::Node* node, const PassContext& ctx);
// The shape of v when every dim is known.
std::optional<std::vector<int64_t>> StaticShape(const ir::Value* v);
// Removes `node`, which passes `in` through unchanged as `out`: readers of out read in instead, or, when out is
// a graph output, in's producer writes out directly. False (graph unchanged) when neither is possible.
bool BypassNode(ir::Graph& graph, ir::Node* node, ir::Value* in, ir::Value* out);
// Removes v when it is a constant of this graph (not an enclosing one's, not a graph input or output) that nothing
// reads any more: a pass that replaced weights frees the old ones at once, so a network's weights do not exist twice
// until the clean-up pass (the session's peak memory). True when removed.
bool RemoveUnreadConstant(ir::Graph& graph, ir::Value* v);
// The value of attribute `name` of node, or `def` when absent.
int64_t AttrInt(const ir::Node& node, const std::string& name, int64_t def);
// Whether every value of ints attribute `name` equals v (true when the attribute is absent: pads, strides, dilations).
bool AttrIntsAllEqual(const ir::Node& node, const std::string& name, int64_t v);
// Attributes for nodes a pass creates.
ir::Attribute IntAttr(const std::string& name, int64_t v);
ir::Attribute FloatAttr(const std::string& name, float v);
ir::Attribute IntsAttr(const std::string& name, std::vector<int64_t> v);
// A Transpose's permutation (its default, the reversed axes, when the input's rank is known), or empty.
std::vector<int64_t> TransposePerm(const ir::Node& transpose);
// Dims provably equal: the same known size or the same named symbol (an unknown dim proves nothing).
bool SameDim(const ir::Dim& a, const ir::Dim& b);
// The shape of a float tensor value, or null when v is not one or its rank is unknown.
const ir::SymShape* FloatShapeOf(const ir::Value* v);

}  // namespace onyx::opt

namespace onyx::opt {
enum class Level;
// Self-registration of built-in passes: a pass joins `level` at position `order` (lower runs first).
bool RegisterBuiltinPass(int level, int order, PassFactory factory);
}  // namespace onyx::opt

#define ONYX_REGISTER_PASS(level, order, PassClass)                                    \
  static const bool ONYX_CONCAT(onyx_pass_registered_, __COUNTER__) [[maybe_unused]] = \
      ::onyx::opt::RegisterBuiltinPass(static_cast<int>(level), order,                 \
                                       [] { return std::unique_ptr<::onyx::opt::GraphPass>(new PassClass()); })
