// `onyx inspect`: what a model file declares (metadata, inputs, outputs), what it uses (operators, counted
// through subgraphs) and how big its parameters are. Reads the model only; nothing is run or optimized.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "format/model_loader.h"
#include "ir/graph.h"
#include "ir/model.h"
#include "session/session.h"

namespace onyx::cli {

const char kInspectUsage[] =
    "usage: onyx inspect MODEL [--opt-level L] [--disable-pass NAME]...\n"
    "\n"
    "Prints MODEL's IR version, opsets, producer, domain, model version, doc string, metadata, graph name,\n"
    "inputs and outputs with their types and shapes, an operator histogram (subgraphs included) and the\n"
    "number and size of its parameters (initializers).\n"
    "With --opt-level, also optimizes it at that level (disabled, basic, extended, all) and prints the node\n"
    "counts before and after, what each pass did, and the operator histogram after.\n";

namespace {

struct GraphStats {
  std::map<std::string, int64_t> ops;
  int64_t nodes = 0, subgraph_nodes = 0, subgraphs = 0;
  int64_t initializers = 0, parameters = 0, parameter_bytes = 0;
};

int64_t TensorBytes(const Tensor& t) {
  if (t.type() != DataType::kString) return t.bytes();
  int64_t n = 0;
  for (const std::string& s : t.values<std::string>()) n += static_cast<int64_t>(s.size());
  return n;
}

void Collect(const ir::Graph& g, int depth, GraphStats* stats) {
  for (const ir::Value* v : g.initializers()) {
    const Tensor* t = v->initializer();
    if (!t) continue;
    ++stats->initializers;
    stats->parameters += t->size();
    stats->parameter_bytes += TensorBytes(*t);
  }
  for (const auto& node : g.nodes()) {
    ++(depth == 0 ? stats->nodes : stats->subgraph_nodes);
    std::string key = node->domain().empty() || node->domain() == "ai.onnx" ? node->op_type()
                                                                            : node->domain() + ":" + node->op_type();
    ++stats->ops[key];
    for (const auto& sub : node->subgraphs()) {
      if (!sub) continue;
      ++stats->subgraphs;
      Collect(*sub, depth + 1, stats);
    }
  }
}

std::string Indented(const std::string& text) {
  std::string out;
  for (char c : text) {
    out.push_back(c);
    if (c == '\n') out += "    ";
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  return out;
}

std::string WithThousands(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string HumanBytes(int64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

// Before IR 4 every initializer was also listed as an input; those are counted, not listed, so the real
// inputs stay readable (ResNet-50 from Caffe2 has 30 of them).
void PrintValues(const char* title, const std::vector<ir::Value*>& all, bool is_input) {
  std::vector<const ir::Value*> values, fed_initializers;
  for (const ir::Value* v : all) (is_input && v->initializer() ? fed_initializers : values).push_back(v);
  std::cout << title << " (" << values.size() << "):\n";
  size_t width = 0;
  for (const ir::Value* v : values) width = std::max(width, v->name().size());
  for (const ir::Value* v : values) {
    std::string pad(width - v->name().size(), ' ');
    std::cout << "  " << v->name() << pad << "  " << v->type().ToString();
    if (v->type().is_tensor()) std::cout << " " << v->type().ShapeString();
    std::cout << "\n";
  }
  if (!fed_initializers.empty()) {
    std::cout << "  (and " << fed_initializers.size()
              << " initializers listed as inputs, which a run may feed: " << fed_initializers.front()->name()
              << (fed_initializers.size() > 1 ? ", ..." : "") << ")\n";
  }
}

}  // namespace

int InspectCommand(const std::vector<std::string>& args) {
  ArgReader reader("inspect", args);
  std::string model_path, positional, value, level_name;
  std::set<std::string> disabled;
  while (!reader.done()) {
    if (reader.Flag({"--opt-level"}, &value)) {
      ParseOptLevel(value);
      level_name = value;
    } else if (reader.Flag({"--disable-pass"}, &value)) {
      disabled.insert(CheckPassName(value));
    } else if (reader.Positional(&positional)) {
      if (!model_path.empty()) Fail("'onyx inspect' takes one model, got '", model_path, "' and '", positional, "'");
      model_path = positional;
    } else {
      reader.Unknown();
    }
  }
  if (model_path.empty()) Fail("'onyx inspect' needs a MODEL (see 'onyx inspect --help')");
  std::error_code ec;
  if (!std::filesystem::exists(model_path, ec)) Fail("model file '", model_path, "' does not exist");
  if (std::filesystem::is_directory(model_path, ec)) Fail("'", model_path, "' is a folder, not a model file");

  auto loaded = format::LoadModel(model_path);
  if (!loaded.ok()) Fail("cannot load model '", model_path, "': ", loaded.status().message());
  std::unique_ptr<ir::Model> model = loaded.take();
  const ir::ModelMetadata& m = model->metadata;

  std::cout << "model:            " << model_path << "\n";
  std::cout << "ir_version:       " << m.ir_version << "\n";
  std::cout << "opsets:           ";
  bool first = true;
  for (const auto& [domain, version] : m.opsets) {
    std::cout << (first ? "" : ", ") << (domain.empty() ? "ai.onnx" : domain) << " " << version;
    first = false;
  }
  std::cout << (first ? "none\n" : "\n");
  std::cout << "producer:         " << m.producer_name << (m.producer_version.empty() ? "" : " ") << m.producer_version
            << "\n";
  std::cout << "domain:           " << m.domain << "\n";
  std::cout << "model_version:    " << m.model_version << "\n";
  if (!m.doc_string.empty()) std::cout << "doc_string:       " << Indented(m.doc_string) << "\n";
  if (!m.metadata_props.empty()) {
    std::cout << "metadata_props (" << m.metadata_props.size() << "):\n";
    for (const auto& [key, value] : m.metadata_props) std::cout << "  " << key << " = " << Indented(value) << "\n";
  }
  const ir::Graph& g = *model->graph;
  std::cout << "graph:            " << (g.name().empty() ? m.graph_name : g.name()) << "\n";
  if (!m.graph_doc_string.empty()) std::cout << "graph doc_string: " << Indented(m.graph_doc_string) << "\n";

  PrintValues("inputs", g.inputs(), true);
  PrintValues("outputs", g.outputs(), false);

  GraphStats stats;
  Collect(g, 0, &stats);
  std::cout << "nodes:            " << stats.nodes;
  if (stats.subgraphs > 0) {
    std::cout << " (and " << stats.subgraph_nodes << " in " << stats.subgraphs << " subgraphs)";
  }
  std::cout << "\n";
  std::vector<std::pair<std::string, int64_t>> ops(stats.ops.begin(), stats.ops.end());
  std::stable_sort(ops.begin(), ops.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::cout << "operators (" << ops.size() << " types):\n";
  size_t width = 0;
  for (const auto& [op, count] : ops) width = std::max(width, op.size());
  for (const auto& [op, count] : ops) {
    std::cout << "  " << op << std::string(width - op.size(), ' ') << "  " << count << "\n";
  }
  std::cout << "parameters:       " << WithThousands(stats.parameters) << " elements, "
            << WithThousands(stats.parameter_bytes) << " bytes (" << HumanBytes(stats.parameter_bytes) << ") in "
            << stats.initializers << " initializers\n";
  if (level_name.empty()) return 0;

  SessionOptions options;
  options.intra_op_threads = 1;
  options.optimization_level = ParseOptLevel(level_name);
  options.disabled_passes = disabled;
  auto session = Session::Create(model_path, options);
  if (!session.ok()) Fail("cannot optimize '", model_path, "': ", session.status().message());
  PrintOptimization(*session.value(), level_name);
  GraphStats after;
  Collect(*session.value()->model().graph, 0, &after);
  std::vector<std::pair<std::string, int64_t>> ops_after(after.ops.begin(), after.ops.end());
  std::stable_sort(ops_after.begin(), ops_after.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::cout << "operators after (" << ops_after.size() << " types):\n";
  for (const auto& [op, count] : ops_after) std::cout << "  " << op << "  " << count << "\n";
  return 0;
}

}  // namespace onyx::cli
