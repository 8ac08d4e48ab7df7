// `onyx ops-config MODEL...`: the operators the models use (subgraphs included), one `domain:op_type` a line, for
// the minimal build (cmake -DONYX_MINIMAL=ON -DONYX_OPS_CONFIG=FILE, docs/EDGE.md), which compiles only the kernels
// those operators need. Reads the models only.
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

namespace onyx::cli {

const char kOpsConfigUsage[] =
    "usage: onyx ops-config MODEL... > ops.txt\n"
    "\n"
    "Prints the operators the models use, subgraphs included, one 'domain:op_type' a line (the default domain as\n"
    "ai.onnx), for a build with only the kernels they need: cmake -DONYX_MINIMAL=ON -DONYX_OPS_CONFIG=ops.txt\n"
    "(docs/EDGE.md). Lines starting with '#' are comments.\n";

namespace {
void Collect(const ir::Graph& g, std::set<std::string>* ops) {
  for (const auto& node : g.nodes()) {
    ops->insert((node->domain().empty() ? std::string("ai.onnx") : node->domain()) + ":" + node->op_type());
    for (const auto& sub : node->subgraphs()) {
      if (sub) Collect(*sub, ops);
    }
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
  std::set<std::string> ops;
  for (const std::string& path : models) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) Fail("model file '", path, "' does not exist or is not a file");
    auto loaded = format::LoadModel(path);
    if (!loaded.ok()) Fail("cannot load model '", path, "': ", loaded.status().message());
    Collect(*loaded.value()->graph, &ops);
  }
  std::cout << "# onyx ops-config";
  for (const std::string& m : models) std::cout << " " << std::filesystem::path(m).filename().string();
  std::cout << "\n";
  for (const std::string& op : ops) std::cout << op << "\n";
  return 0;
}

}  // namespace onyx::cli
