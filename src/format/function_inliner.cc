#include "format/function_inliner.h"

#include <functional>
#include <map>
#include <string>
#include <unordered_map>

#include "ir/op_schema.h"

namespace onyx::format {

namespace {

using FunctionKey = std::tuple<std::string, std::string, std::string>;  // domain, name, overload

class Inliner {
 public:
  Inliner(const proto::ModelProto& mp, const Limits& limits) : limits_(limits) {
    for (const auto& f : mp.functions()) functions_[{ir::CanonicalDomain(f.domain()), f.name(), f.overload()}] = &f;
  }
  bool empty() const { return functions_.empty(); }
  // `level` is the subgraph level of `g` (as the loader counts it); `calls` how many function calls deep it is.
  Status InlineGraph(proto::GraphProto* g, int level, int calls);

 private:
  Status InlineCall(const proto::NodeProto& call, const proto::FunctionProto& fn,
                    google::protobuf::RepeatedPtrField<proto::NodeProto>* out, int level, int calls);
  // Counts one node more in the inlined model; a function called twice by a function called twice ... grows
  // exponentially, so the count is held to the limit while it grows, not afterwards.
  Status CountNode() {
    if (++nodes_ > limits_.max_nodes) {
      return InvalidGraph("inlining model-local functions grows the model past the limit of ", limits_.max_nodes,
                          " nodes (session.max_nodes)");
    }
    return Status::Ok();
  }
  Status SubstituteAttributes(proto::NodeProto* node, const std::map<std::string, const proto::AttributeProto*>& actual,
                              const std::map<std::string, const proto::AttributeProto*>& defaults);

  std::map<FunctionKey, const proto::FunctionProto*> functions_;
  const Limits& limits_;
  int64_t counter_ = 0;
  int64_t nodes_ = 0;
};

Status Inliner::SubstituteAttributes(proto::NodeProto* node,
                                     const std::map<std::string, const proto::AttributeProto*>& actual,
                                     const std::map<std::string, const proto::AttributeProto*>& defaults) {
  google::protobuf::RepeatedPtrField<proto::AttributeProto> kept;
  for (auto& a : *node->mutable_attribute()) {
    if (a.ref_attr_name().empty()) {
      kept.Add()->CopyFrom(a);
      continue;
    }
    const proto::AttributeProto* src = nullptr;
    if (auto it = actual.find(a.ref_attr_name()); it != actual.end()) src = it->second;
    else if (auto d = defaults.find(a.ref_attr_name()); d != defaults.end()) src = d->second;
    if (src == nullptr) continue;  // unset optional attribute: the node gets its own default
    proto::AttributeProto* dst = kept.Add();
    dst->CopyFrom(*src);
    dst->set_name(a.name());
    dst->clear_ref_attr_name();
  }
  node->mutable_attribute()->Swap(&kept);
  // Subgraphs inside the body may also refer to the function's attributes.
  for (auto& a : *node->mutable_attribute()) {
    auto fix_graph = [&](proto::GraphProto* g) -> Status {
      for (auto& n : *g->mutable_node()) ONYX_RETURN_IF_ERROR(SubstituteAttributes(&n, actual, defaults));
      return Status::Ok();
    };
    if (a.has_g()) ONYX_RETURN_IF_ERROR(fix_graph(a.mutable_g()));
    for (auto& g : *a.mutable_graphs()) ONYX_RETURN_IF_ERROR(fix_graph(&g));
  }
  return Status::Ok();
}

Status Inliner::InlineCall(const proto::NodeProto& call, const proto::FunctionProto& fn,
                           google::protobuf::RepeatedPtrField<proto::NodeProto>* out, int level, int calls) {
  // Calls nest as deep as subgraphs may: the inliner recurses once per call as the loader does per subgraph.
  if (calls > limits_.max_subgraph_depth) {
    return InvalidGraph("function '", fn.name(), "' calls itself or nests function calls ", calls,
                        " deep, over the limit of ", limits_.max_subgraph_depth, " (session.max_subgraph_depth)");
  }
  std::string prefix = "__fn" + std::to_string(counter_++) + "_" + fn.name() + "/";
  std::unordered_map<std::string, std::string> rename;
  for (int i = 0; i < fn.input_size(); ++i) rename[fn.input(i)] = i < call.input_size() ? call.input(i) : std::string();
  for (int i = 0; i < fn.output_size(); ++i) rename[fn.output(i)] = i < call.output_size() ? call.output(i) : prefix + fn.output(i);
  auto map_name = [&](const std::string& n) -> std::string {
    if (n.empty()) return n;
    auto it = rename.find(n);
    if (it != rename.end()) return it->second;
    return prefix + n;
  };
  std::map<std::string, const proto::AttributeProto*> actual, defaults;
  for (const auto& a : call.attribute()) actual[a.name()] = &a;
  for (const auto& a : fn.attribute_proto()) defaults[a.name()] = &a;

  google::protobuf::RepeatedPtrField<proto::NodeProto> body;
  for (const auto& n : fn.node()) {
    proto::NodeProto* copy = body.Add();
    copy->CopyFrom(n);
    for (auto& in : *copy->mutable_input()) in = map_name(in);
    for (auto& o : *copy->mutable_output()) o = map_name(o);
    copy->set_name(prefix + n.name());
    ONYX_RETURN_IF_ERROR(SubstituteAttributes(copy, actual, defaults));
    // Subgraph bodies read function values by name: rename their outer-scope references too.
    std::function<void(proto::GraphProto*)> rename_graph = [&](proto::GraphProto* g) {
      for (auto& sn : *g->mutable_node()) {
        for (auto& in : *sn.mutable_input()) {
          auto it = rename.find(in);
          if (it != rename.end()) in = it->second;
        }
        for (auto& a : *sn.mutable_attribute()) {
          if (a.has_g()) rename_graph(a.mutable_g());
          for (auto& gg : *a.mutable_graphs()) rename_graph(&gg);
        }
      }
      for (auto& o : *g->mutable_output()) {
        auto it = rename.find(o.name());
        if (it != rename.end()) o.set_name(it->second);
      }
    };
    for (auto& a : *copy->mutable_attribute()) {
      if (a.has_g()) rename_graph(a.mutable_g());
      for (auto& gg : *a.mutable_graphs()) rename_graph(&gg);
    }
  }
  // A body node may itself call a local function.
  for (auto& n : body) {
    auto it = functions_.find({ir::CanonicalDomain(n.domain()), n.op_type(), n.overload()});
    if (it != functions_.end()) {
      ONYX_RETURN_IF_ERROR(InlineCall(n, *it->second, out, level, calls + 1));
    } else {
      for (auto& a : *n.mutable_attribute()) {
        if (a.has_g()) ONYX_RETURN_IF_ERROR(InlineGraph(a.mutable_g(), level + 1, calls));
        for (auto& g : *a.mutable_graphs()) ONYX_RETURN_IF_ERROR(InlineGraph(&g, level + 1, calls));
      }
      ONYX_RETURN_IF_ERROR(CountNode());
      out->Add()->CopyFrom(n);
    }
  }
  return Status::Ok();
}

Status Inliner::InlineGraph(proto::GraphProto* g, int level, int calls) {
  // The same limit and words as the loader's (model_loader.cc), which checks the inlined result again.
  if (level > limits_.max_subgraph_depth) {
    return InvalidGraph("subgraphs nest ", level, " levels deep, over the limit of ", limits_.max_subgraph_depth,
                        " (session.max_subgraph_depth)");
  }
  google::protobuf::RepeatedPtrField<proto::NodeProto> result;
  bool changed = false;
  for (auto& n : *g->mutable_node()) {
    for (auto& a : *n.mutable_attribute()) {
      if (a.has_g()) ONYX_RETURN_IF_ERROR(InlineGraph(a.mutable_g(), level + 1, calls));
      for (auto& sg : *a.mutable_graphs()) ONYX_RETURN_IF_ERROR(InlineGraph(&sg, level + 1, calls));
    }
    auto it = functions_.find({ir::CanonicalDomain(n.domain()), n.op_type(), n.overload()});
    if (it == functions_.end()) {
      ONYX_RETURN_IF_ERROR(CountNode());
      result.Add()->CopyFrom(n);
      continue;
    }
    changed = true;
    ONYX_RETURN_IF_ERROR(InlineCall(n, *it->second, &result, level, calls + 1));
  }
  if (changed) g->mutable_node()->Swap(&result);
  return Status::Ok();
}

}  // namespace

Status InlineLocalFunctions(proto::ModelProto& mp, ir::OpsetMap& opsets, const Limits& limits) {
  if (mp.functions_size() == 0) return Status::Ok();
  for (const auto& f : mp.functions()) {
    for (const auto& op : f.opset_import()) {
      std::string d = ir::CanonicalDomain(op.domain());
      if (!opsets.count(d)) opsets[d] = op.version();
    }
  }
  Inliner inliner(mp, limits);
  return inliner.InlineGraph(mp.mutable_graph(), 0, 0);
}

}  // namespace onyx::format
