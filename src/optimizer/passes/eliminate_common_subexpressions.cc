// Common-subexpression elimination: equal small constants become one, and then a node that computes the same
// operator with the same attributes on the same inputs as an earlier node is dropped, its readers pointed at
// the earlier node's outputs. Random operators and nodes with subgraphs are never merged.
#include <cstring>
#include <set>
#include <unordered_map>

#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

// Constants up to this size are compared by content.
constexpr int64_t kMaxDedupBytes = 64 << 10;

void AppendTensor(std::string& key, const Tensor& t) {
  key += std::to_string(static_cast<int>(t.type()));
  for (int64_t d : t.shape()) key += "," + std::to_string(d);
  key += ':';
  if (t.type() == DataType::kString) {
    for (const std::string& s : t.values<std::string>()) key += std::to_string(s.size()) + ":" + s;
  } else if (t.bytes() > 0) {
    key.append(static_cast<const char*>(t.raw()), static_cast<size_t>(t.bytes()));
  }
}

bool Mergeable(const ir::Node& node) {
  static const std::set<std::string> kRandom = {
      "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial", "Bernoulli", "Dropout"};
  if (node.domain() != "" && node.domain() != "ai.onnx.ml") return false;
  return !kRandom.count(node.op_type()) && node.subgraphs().empty() && !node.outputs().empty();
}

// Everything that decides a node's result: operator, version, inputs (by identity) and attributes. Empty when
// an attribute cannot be compared.
std::string NodeKey(const ir::Node& node) {
  std::string key = node.domain() + '|' + node.op_type() + '|' + std::to_string(node.opset()) + '|' +
                    std::to_string(node.outputs().size()) + '|';
  for (const ir::Value* v : node.inputs()) key += std::to_string(reinterpret_cast<uintptr_t>(v)) + ',';
  for (const auto& [name, a] : node.attributes()) {
    key += '|' + name + '=' + std::to_string(static_cast<int>(a.type)) + ':';
    switch (a.type) {
      case ir::AttrType::kFloat:
        key.append(reinterpret_cast<const char*>(&a.f), sizeof(a.f));
        break;
      case ir::AttrType::kInt:
        key += std::to_string(a.i);
        break;
      case ir::AttrType::kString:
        key += std::to_string(a.s.size()) + ':' + a.s;
        break;
      case ir::AttrType::kFloats:
        key.append(reinterpret_cast<const char*>(a.floats.data()), a.floats.size() * sizeof(float));
        break;
      case ir::AttrType::kInts:
        for (int64_t i : a.ints) key += std::to_string(i) + ',';
        break;
      case ir::AttrType::kStrings:
        for (const std::string& s : a.strings) key += std::to_string(s.size()) + ':' + s;
        break;
      case ir::AttrType::kTensor:
        AppendTensor(key, a.t);
        break;
      case ir::AttrType::kTensors:
        for (const Tensor& t : a.tensors) AppendTensor(key, t);
        break;
      default:
        return {};
    }
  }
  return key;
}

class EliminateCommonSubexpressions final : public GraphPass {
 public:
  std::string name() const override { return "EliminateCommonSubexpressions"; }
  Result<int> Run(ir::Graph& graph, const PassContext&) const override {
    int rewrites = MergeConstants(graph);
    ONYX_ASSIGN_OR_RETURN(std::vector<ir::Node*> order, graph.TopologicalOrder());
    std::unordered_map<std::string, ir::Node*> seen;
    for (ir::Node* node : order) {
      if (!Mergeable(*node)) continue;
      std::string key = NodeKey(*node);
      if (key.empty()) continue;
      auto [it, inserted] = seen.emplace(std::move(key), node);
      if (inserted) continue;
      ir::Node* first = it->second;
      bool all_gone = true;
      for (size_t i = 0; i < node->outputs().size(); ++i) {
        ir::Value* dup = node->output(i);
        if (dup == nullptr || (dup->consumers().empty() && !dup->is_graph_output())) continue;
        ir::Value* keep = first->output(i);
        if (keep == nullptr || !graph.ReplaceAllUses(dup, keep)) all_gone = false;
      }
      if (all_gone) {
        graph.RemoveNode(node);
        ++rewrites;
      }
    }
    return rewrites;
  }

 private:
  static int MergeConstants(ir::Graph& graph) {
    int merged = 0;
    std::unordered_map<std::string, ir::Value*> seen;
    for (ir::Value* v : std::vector<ir::Value*>(graph.initializers())) {
      const Tensor* t = ConstantOf(v);
      if (t == nullptr || t->bytes() > kMaxDedupBytes || v->consumers().empty()) continue;
      std::string key;
      AppendTensor(key, *t);
      auto [it, inserted] = seen.emplace(std::move(key), v);
      if (!inserted && graph.ReplaceAllUses(v, it->second)) ++merged;
    }
    return merged;
  }
};

ONYX_REGISTER_PASS(Level::kBasic, 20, EliminateCommonSubexpressions);

}  // namespace
}  // namespace onyx::opt
