// The inputs `onyx run` and `onyx bench` feed a model: files given by name, random values for the rest.
#include <algorithm>
#include <filesystem>
#include <ostream>
#include <set>

#include "cli_common.h"

namespace onyx::cli {

namespace {

void CollectSymbols(const ir::Type& type, std::set<std::string>* out) {
  if (type.shape) {
    for (const ir::Dim& d : *type.shape) {
      if (!d.known() && !d.param.empty()) out->insert(d.param);
    }
  }
  if (type.inner) CollectSymbols(*type.inner, out);
}

std::string JoinNames(const std::vector<IoInfo>& infos) {
  std::string s;
  for (const IoInfo& i : infos) s += (s.empty() ? "" : ", ") + i.name;
  return s.empty() ? "none" : s;
}

}  // namespace

bool ReadFeedFlag(ArgReader& reader, FeedArgs* feeds) {
  std::string value;
  if (reader.Flag({"--input", "-i"}, &value)) {
    auto [name, file] = SplitAssignment("--input", value);
    if (file.empty()) Fail("--input ", name, "= has no file");
    for (const auto& [n, f] : feeds->files) {
      if (n == name) Fail("input '", name, "' is given twice with --input");
    }
    feeds->files.emplace_back(name, file);
    return true;
  }
  if (reader.Flag({"--dim"}, &value)) {
    auto [name, v] = SplitAssignment("--dim", value);
    feeds->dims[name] = ParseInt("--dim " + name, v, 0, int64_t{1} << 40);
    return true;
  }
  if (reader.Flag({"--seed"}, &value)) {
    feeds->seed = static_cast<uint64_t>(ParseInt("--seed", value, 0, INT64_MAX));
    return true;
  }
  return false;
}

std::vector<std::pair<std::string, Value>> MakeFeeds(const Session& session, const FeedArgs& args, std::ostream* log) {
  // Feeds may name graph inputs and, for old models, the initializers that double as inputs.
  std::vector<IoInfo> feedable = session.inputs();
  for (const IoInfo& i : session.overridable_initializers()) feedable.push_back(i);
  for (const auto& [feed_name, file] : args.files) {
    // A named copy: clang 14 cannot capture a structured binding in a lambda.
    const std::string& name = feed_name;
    bool known = std::any_of(feedable.begin(), feedable.end(), [&](const IoInfo& i) { return i.name == name; });
    if (!known) Fail("unknown input '", name, "' (model inputs: ", JoinNames(session.inputs()), ")");
  }
  std::set<std::string> symbols;
  for (const IoInfo& i : session.inputs()) CollectSymbols(i.type, &symbols);
  for (const auto& [name, v] : args.dims) {
    if (!symbols.count(name)) {
      std::string known;
      for (const std::string& s : symbols) known += (known.empty() ? "" : ", ") + s;
      Fail("--dim: no input has a dim named '", name, "' (symbolic dims: ", known.empty() ? "none" : known, ")");
    }
  }

  std::mt19937_64 rng(args.seed);
  std::vector<std::pair<std::string, Value>> feeds;
  for (size_t k = 0; k < feedable.size(); ++k) {
    const IoInfo& info = feedable[k];
    auto given =
        std::find_if(args.files.begin(), args.files.end(), [&](const auto& p) { return p.first == info.name; });
    // Overridable initializers keep their stored value unless a file is given.
    bool is_graph_input = k < session.inputs().size();
    if (given != args.files.end()) {
      Value v = LoadInputFile(given->second, info.type);
      if (log) *log << "input  " << info.name << ": " << ValueTypeString(v) << " (from " << given->second << ")\n";
      feeds.emplace_back(info.name, std::move(v));
    } else if (is_graph_input) {
      Value v = RandomValue(info.name, info.type, args.dims, rng);
      if (log) *log << "input  " << info.name << ": " << ValueTypeString(v) << " (random)\n";
      feeds.emplace_back(info.name, std::move(v));
    }
  }
  return feeds;
}

void CheckModelPath(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) Fail("model file '", path, "' does not exist");
  if (std::filesystem::is_directory(path, ec)) Fail("'", path, "' is a folder, not a model file");
}

}  // namespace onyx::cli
