#include "optimizer/optimizer.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <unordered_map>

#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::opt {

namespace {

struct PassEntry {
  int level;
  int order;
  PassFactory factory;
};

std::mutex& RegistryMutex() {
  static std::mutex m;
  return m;
}
std::vector<PassEntry>& Builtins() {
  static auto* v = new std::vector<PassEntry>();
  return *v;
}
std::vector<PassEntry>& UserPasses() {
  static auto* v = new std::vector<PassEntry>();
  return *v;
}

std::vector<std::unique_ptr<GraphPass>> PassesFor(Level level) {
  std::vector<PassEntry> chosen;
  {
    std::lock_guard<std::mutex> lock(RegistryMutex());
    for (const auto& e : Builtins()) {
      if (e.level <= static_cast<int>(level)) chosen.push_back(e);
    }
    std::stable_sort(chosen.begin(), chosen.end(), [](const PassEntry& a, const PassEntry& b) {
      return std::tie(a.level, a.order) < std::tie(b.level, b.order);
    });
    for (const auto& e : UserPasses()) {
      if (e.level <= static_cast<int>(level)) chosen.push_back(e);
    }
  }
  std::vector<std::unique_ptr<GraphPass>> passes;
  for (const auto& e : chosen) passes.push_back(e.factory());
  return passes;
}

size_t CountNodes(const ir::Graph& g) {
  size_t n = g.nodes().size();
  for (const auto& node : g.nodes()) {
    for (const auto& sub : node->subgraphs()) n += CountNodes(*sub);
  }
  return n;
}

Status RunOnGraph(ir::Graph& graph, const std::vector<std::unique_ptr<GraphPass>>& passes,
                  const std::set<std::string>& disabled, const PassContext& ctx, std::map<std::string, int>& counts) {
  for (const auto& node : graph.nodes()) {
    for (const auto& sub : node->subgraphs()) ONYX_RETURN_IF_ERROR(RunOnGraph(*sub, passes, disabled, ctx, counts));
  }
  constexpr int kMaxRounds = 4;
  std::unordered_map<const ir::Value*, ir::ShapeValue> shape_values;
  PassContext round_ctx = ctx;
  round_ctx.shape_values = &shape_values;
  for (int round = 0; round < kMaxRounds; ++round) {
    // Shapes for what the last round created (folded shape arithmetic, new values) and the values of shape
    // tensors, once for all this round's passes; refining only, it never changes a fact a pass set. A failure
    // (a cycle) is the next pass's to report.
    shape_values.clear();
    (void)ir::InferShapes(graph, ir::InferOptions{.refine_only = true, .values = &shape_values});
    int changed = 0;
    for (const auto& pass : passes) {
      if (disabled.count(pass->name()) || pass->RunsAfterConvergence()) continue;
      Result<int> r = pass->Run(graph, round_ctx);
      if (!r.ok()) return r.status().WithContext("optimizer pass '" + pass->name() + "'");
      counts[pass->name()] += r.value();
      changed += r.value();
    }
    if (changed == 0) break;
  }
  int late_rewrites = 0;
  for (const auto& pass : passes) {
    if (disabled.count(pass->name()) || !pass->RunsAfterConvergence()) continue;
    Result<int> r = pass->Run(graph, ctx);
    if (!r.ok()) return r.status().WithContext("optimizer pass '" + pass->name() + "'");
    counts[pass->name()] += r.value();
    late_rewrites += r.value();
  }
  // What those passes replaced (weights they repacked) is read by no one now, and no EliminateDead runs after
  // them: left in the graph, each such constant would stay in memory beside its new form for the session's life.
  if (late_rewrites > 0) {
    std::vector<ir::Value*> unread;
    for (ir::Value* v : graph.initializers()) {
      if (!v->is_graph_input() && !v->is_graph_output() && v->consumers().empty()) unread.push_back(v);
    }
    for (ir::Value* v : unread) graph.RemoveInitializer(v);
  }
  graph.PruneValues();
  return Status::Ok();
}

}  // namespace

bool RegisterBuiltinPass(int level, int order, PassFactory factory) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  Builtins().push_back(PassEntry{level, order, std::move(factory)});
  return true;
}

void RegisterUserPass(Level level, PassFactory factory) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  UserPasses().push_back(PassEntry{static_cast<int>(level), 0, std::move(factory)});
}

Result<Level> ParseLevel(const std::string& name) {
  if (name == "disabled" || name == "0") return Level::kDisabled;
  if (name == "basic" || name == "1") return Level::kBasic;
  if (name == "extended" || name == "2") return Level::kExtended;
  if (name == "all" || name == "99") return Level::kAll;
  return InvalidArgument("unknown optimization level '", name, "' (expected disabled, basic, extended or all)");
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDisabled:
      return "disabled";
    case Level::kBasic:
      return "basic";
    case Level::kExtended:
      return "extended";
    case Level::kAll:
      return "all";
  }
  return "?";
}

std::vector<std::string> PassNames(Level level) {
  std::vector<std::string> names;
  for (const auto& p : PassesFor(level)) names.push_back(p->name());
  return names;
}

Result<OptimizeReport> Optimize(ir::Graph& graph, Level level, const std::set<std::string>& disabled,
                                const PassContext& ctx) {
  OptimizeReport report;
  report.nodes_before = CountNodes(graph);
  if (level != Level::kDisabled) {
    auto passes = PassesFor(level);
    PassContext run_ctx = ctx;
    for (const auto& p : passes) {
      if (!disabled.count(p->name()) && p->NeedsDequantizeUnfolded()) run_ctx.defer_dequantize_folding = true;
    }
    std::map<std::string, int> counts;
    ONYX_RETURN_IF_ERROR(RunOnGraph(graph, passes, disabled, run_ctx, counts));
    for (const auto& p : passes) {
      if (!disabled.count(p->name())) report.passes.push_back({p->name(), counts[p->name()]});
    }
  }
  report.nodes_after = CountNodes(graph);
  return report;
}

bool CanProduce(const PassContext& ctx, const ir::Graph& graph, const std::string& domain, const std::string& op_type) {
  if (ctx.kernels == nullptr) return true;
  int64_t opset = 1;
  auto it = graph.opsets().find(domain);
  if (it != graph.opsets().end()) opset = it->second;
  return ctx.kernels->FindByName(domain, op_type, opset) != nullptr;
}

ir::Node* SoleConsumer(const ir::Value* v) {
  if (v == nullptr || v->is_graph_output() || v->consumers().size() != 1) return nullptr;
  return v->consumers()[0];
}

const Tensor* ConstantOf(const ir::Value* v) {
  if (v == nullptr || v->is_graph_input()) return nullptr;
  return v->initializer();
}

const Tensor* ConstantInput(const ir::Node& node, size_t i) { return ConstantOf(node.input(i)); }

std::optional<std::vector<int64_t>> StaticShape(const ir::Value* v) {
  if (v == nullptr || !v->type().is_tensor() || !v->type().shape) return std::nullopt;
  std::vector<int64_t> dims;
  for (const ir::Dim& d : *v->type().shape) {
    if (!d.known()) return std::nullopt;
    dims.push_back(d.value);
  }
  return dims;
}

bool BypassNode(ir::Graph& graph, ir::Node* node, ir::Value* in, ir::Value* out) {
  if (graph.ReplaceAllUses(out, in)) {
    graph.RemoveNode(node);
    return true;
  }
  ir::Node* producer = in->producer();
  // Only a graph output is left to keep: let the node that makes `in` write it, if nothing else reads `in`.
  if (!out->is_graph_output() || producer == nullptr || in->is_graph_output() || in->is_outer_scope() ||
      in->consumers().size() != 1 || in->consumers()[0] != node) {
    return false;
  }
  graph.RemoveNode(node);
  graph.RenameOutput(producer, in, out);
  return true;
}

bool RemoveUnreadConstant(ir::Graph& graph, ir::Value* v) {
  if (!v || !v->initializer() || v->is_graph_input() || v->is_graph_output() || !v->consumers().empty() ||
      graph.FindValue(v->name()) != v) {
    return false;
  }
  graph.RemoveInitializer(v);
  return true;
}

ir::Attribute IntAttr(const std::string& name, int64_t v) {
  ir::Attribute a;
  a.name = name;
  a.type = ir::AttrType::kInt;
  a.i = v;
  return a;
}

ir::Attribute FloatAttr(const std::string& name, float v) {
  ir::Attribute a;
  a.name = name;
  a.type = ir::AttrType::kFloat;
  a.f = v;
  return a;
}

ir::Attribute IntsAttr(const std::string& name, std::vector<int64_t> v) {
  ir::Attribute a;
  a.name = name;
  a.type = ir::AttrType::kInts;
  a.ints = std::move(v);
  return a;
}

std::vector<int64_t> TransposePerm(const ir::Node& transpose) {
  if (const ir::Attribute* a = transpose.attribute("perm")) return a->ints;
  const ir::Value* in = transpose.input(0);
  if (!in || !in->type().shape) return {};
  std::vector<int64_t> perm(in->type().shape->size());
  for (size_t i = 0; i < perm.size(); ++i) perm[i] = static_cast<int64_t>(perm.size() - 1 - i);
  return perm;
}

bool SameDim(const ir::Dim& a, const ir::Dim& b) {
  if (a.known() || b.known()) return a.known() && b.known() && a.value == b.value;
  return !a.param.empty() && a.param == b.param;
}

const ir::SymShape* FloatShapeOf(const ir::Value* v) {
  if (v == nullptr || !v->type().is_tensor() || v->type().elem_type != DataType::kFloat || !v->type().shape) {
    return nullptr;
  }
  return &*v->type().shape;
}

int64_t AttrInt(const ir::Node& node, const std::string& name, int64_t def) {
  const ir::Attribute* a = node.attribute(name);
  return a ? a->i : def;
}

bool AttrIntsAllEqual(const ir::Node& node, const std::string& name, int64_t v) {
  const ir::Attribute* a = node.attribute(name);
  if (!a) return true;
  for (int64_t x : a->ints) {
    if (x != v) return false;
  }
  return true;
}

}  // namespace onyx::opt
