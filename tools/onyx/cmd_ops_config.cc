// `onyx ops-config MODEL...`: the operators the models use (subgraphs included), one `domain:op_type` a line, and
// the element types their tensors hold (`types: float int64 ...`), for the minimal build (cmake -DONYX_MINIMAL=ON
// -DONYX_OPS_CONFIG=FILE, docs/EDGE.md), which compiles only those operators' kernels, for those types only.
// Reads the models only.
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "format/model_loader.h"
#include "ir/graph.h"
#include "ir/model.h"
#include "ir/shape_inference.h"

namespace onyx::cli {

const char kOpsConfigUsage[] =
    "usage: onyx ops-config MODEL... > ops.txt\n"
    "\n"
    "Prints the operators the models use, subgraphs included, one 'domain:op_type' a line (the default domain as\n"
    "ai.onnx), for a build with only the kernels they need: cmake -DONYX_MINIMAL=ON -DONYX_OPS_CONFIG=ops.txt\n"
    "(docs/EDGE.md). A line 'types: float int64 ...' names the element types of every tensor of the models (after\n"
    "type inference), and the build computes on those only; it is left out, so that every type is built, when a\n"
    "tensor's type cannot be inferred. Lines starting with '#' are comments.\n";

namespace {
// The element types of a value's type: a tensor's, a sequence's or optional's elements', a map's keys and values.
// False when one is not known.
bool CollectTypes(const ir::Type& t, std::set<DataType>* types) {
  switch (t.kind) {
    case ir::Type::Kind::kTensor:
    case ir::Type::Kind::kSparseTensor:
      if (t.elem_type == DataType::kUndefined) return false;
      types->insert(t.elem_type);
      return true;
    case ir::Type::Kind::kMap:
      if (t.elem_type == DataType::kUndefined) return false;
      types->insert(t.elem_type);
      return t.inner && CollectTypes(*t.inner, types);
    case ir::Type::Kind::kSequence:
    case ir::Type::Kind::kOptional:
      return t.inner && CollectTypes(*t.inner, types);
    default:
      return false;
  }
}

struct Collected {
  std::set<std::string> ops;
  std::set<DataType> types;
  std::string untyped;  // a value whose type is not known, if any: then every type is built
};

void CollectValue(const ir::Value* v, Collected* c) {
  if (v == nullptr || v->name().empty() || v->is_outer_scope()) return;  // typed where it is defined
  if (!CollectTypes(v->type(), &c->types) && c->untyped.empty()) {
    c->untyped = "'" + v->name() + "'";
    if (v->producer()) c->untyped += " (written by " + v->producer()->Describe() + ")";
  }
}

// In graph order, so that the untyped value named is the first one, whose producer is the one to look at.
void Collect(const ir::Graph& g, Collected* c) {
  for (const ir::Value* v : g.inputs()) CollectValue(v, c);
  for (const ir::Value* v : g.initializers()) CollectValue(v, c);
  for (const auto& node : g.nodes()) {
    c->ops.insert((node->domain().empty() ? std::string("ai.onnx") : node->domain()) + ":" + node->op_type());
    for (const auto& sub : node->subgraphs()) {
      if (sub) Collect(*sub, c);
    }
    for (const ir::Value* v : node->outputs()) CollectValue(v, c);
  }
}
}  // namespace

int OpsConfigCommand(const std::vector<std::string>& args) {
  ArgReader reader("ops-config", args);
  std::vector<std::string> models;
  std::string model;
  while (!reader.done()) {
    if (reader.Positional(&model)) {
      models.push_back(model);
    } else {
      reader.Unknown();
    }
  }
  if (models.empty()) Fail("'onyx ops-config' needs at least one MODEL (see 'onyx ops-config --help')");
  Collected c;
  for (const std::string& path : models) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) Fail("model file '", path, "' does not exist or is not a file");
    auto loaded = format::LoadModel(path);
    if (!loaded.ok()) Fail("cannot load model '", path, "': ", loaded.status().message());
    ir::Graph& graph = *loaded.value()->graph;
    Status inferred = ir::InferShapes(graph);
    if (!inferred.ok()) Fail("cannot infer the types of model '", path, "': ", inferred.message());
    const std::string before = c.untyped;
    Collect(graph, &c);
    if (before.empty() && !c.untyped.empty()) c.untyped += " in " + path;
  }
  std::cout << "# onyx ops-config";
  for (const std::string& m : models) std::cout << " " << std::filesystem::path(m).filename().string();
  std::cout << "\n";
  for (const std::string& op : c.ops) std::cout << op << "\n";
  if (!c.untyped.empty()) {
    std::cout << "# no 'types:' line, so every element type is built: the type of " << c.untyped
              << " is not known before running\n";
  } else {
    std::cout << "types:";
    for (DataType t : c.types) std::cout << " " << DataTypeName(t);
    std::cout << "\n";
  }
  return 0;
}

}  // namespace onyx::cli
