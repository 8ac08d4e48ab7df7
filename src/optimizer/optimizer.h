// The graph optimizer: levels are ordered lists of passes, run at session creation. Users can turn passes
// off by name and add their own passes to a level.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "optimizer/graph_pass.h"

namespace onyx::opt {

enum class Level { kDisabled = 0, kBasic = 1, kExtended = 2, kAll = 99 };

Result<Level> ParseLevel(const std::string& name);  // disabled, basic, extended, all
const char* LevelName(Level level);

struct PassReport {
  std::string pass;
  int rewrites = 0;
};

struct OptimizeReport {
  size_t nodes_before = 0, nodes_after = 0;
  std::vector<PassReport> passes;  // one entry per pass that ran, in order, summed over rounds and subgraphs
};

// Registers a user pass to run after the built-in passes of `level` (and of every higher level).
void RegisterUserPass(Level level, PassFactory factory);

// The names of the passes a level runs, in order.
std::vector<std::string> PassNames(Level level);

// Rewrites the graph (and its subgraphs) at `level`, skipping the passes named in `disabled`. Passes run in
// order, and the list repeats while anything changed (at most a few rounds).
Result<OptimizeReport> Optimize(ir::Graph& graph, Level level, const std::set<std::string>& disabled,
                                const PassContext& ctx);

}  // namespace onyx::opt
