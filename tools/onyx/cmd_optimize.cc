// `onyx optimize`: writes a model as the optimizer rewrites it at a level, so it can be inspected, shipped
// or loaded back (fused operators are written in Onyx's domain, com.onyx).
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "session/session.h"

namespace onyx::cli {

const char kOptimizeUsage[] =
    "usage: onyx optimize MODEL -o OUT.onnx [--opt-level L] [--disable-pass NAME]...\n"
    "\n"
    "Optimizes MODEL at level L (disabled, basic, extended, all; default all) and writes the result to\n"
    "OUT.onnx, then prints the node counts before and after and what each pass did.\n";

void PrintOptimization(const Session& session, const std::string& level) {
  const OptimizationSummary& o = session.optimization();
  std::cout << "optimization (" << level << "): " << o.nodes_before << " nodes before, " << o.nodes_after
            << " after\n";
  for (const auto& [pass, rewrites] : o.passes) std::cout << "  " << pass << ": " << rewrites << " rewrites\n";
}

int OptimizeCommand(const std::vector<std::string>& args) {
  ArgReader reader("optimize", args);
  std::string model_path, out_path, positional, value, level_name = "all";
  std::set<std::string> disabled;
  while (!reader.done()) {
    if (reader.Flag({"-o", "--output"}, &value)) {
      if (value.empty()) Fail("-o needs a file name");
      out_path = value;
    } else if (reader.Flag({"--opt-level"}, &value)) {
      ParseOptLevel(value);
      level_name = value;
    } else if (reader.Flag({"--disable-pass"}, &value)) {
      disabled.insert(CheckPassName(value));
    } else if (reader.Positional(&positional)) {
      if (!model_path.empty()) Fail("'onyx optimize' takes one model, got '", model_path, "' and '", positional, "'");
      model_path = positional;
    } else {
      reader.Unknown();
    }
  }
  if (model_path.empty()) Fail("'onyx optimize' needs a MODEL (see 'onyx optimize --help')");
  if (out_path.empty()) Fail("'onyx optimize' needs -o OUT.onnx");
  std::error_code ec;
  if (!std::filesystem::exists(model_path, ec)) Fail("model file '", model_path, "' does not exist");
  if (std::filesystem::weakly_canonical(model_path, ec) == std::filesystem::weakly_canonical(out_path, ec)) {
    Fail("-o would overwrite the input model '", model_path, "'");
  }
  SessionOptions options;
  options.intra_op_threads = 1;
  options.optimization_level = ParseOptLevel(level_name);
  options.disabled_passes = disabled;
  options.optimized_model_path = out_path;
  auto session = Session::Create(model_path, options);
  if (!session.ok()) Fail("cannot optimize '", model_path, "': ", session.status().message());
  PrintOptimization(*session.value(), level_name);
  std::cout << "wrote " << out_path << "\n";
  return 0;
}

}  // namespace onyx::cli
