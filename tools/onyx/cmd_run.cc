// `onyx run`: loads a model, feeds it inputs from files or random values, prints the outputs and the time.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "common/profiler.h"
#include "profile_summary.h"
#include "session/session.h"

namespace onyx::cli {

const char kRunUsage[] =
    "usage: onyx run MODEL [options]\n"
    "\n"
    "Runs MODEL once and prints each output's name, type, shape and first values, and the run time.\n"
    "Inputs not given with --input get random values: floats uniform in [0,1), small non-negative integers,\n"
    "random bools, strings \"a\". A symbolic dim is 1 unless --dim sets it.\n"
    "\n"
    "Options:\n"
    "  --input NAME=FILE   value of input NAME from a TensorProto (.pb) or NumPy (.npy) file; repeatable\n"
    "  --dim NAME=VALUE    value of the symbolic dim NAME in random inputs; repeatable\n"
    "  --output-dir DIR    write each output to DIR/<name>.pb (TensorProto; SequenceProto/OptionalProto)\n"
    "  --threads N         intra-op threads (default 0: one per core)\n"
    "  --inter-op N        run independent nodes in parallel on N threads (0: one per core; default: in order)\n"
    "  --opt-level L       graph optimization: 0|disabled, 1|basic, 2|extended, 99|all (default all)\n"
    "  --disable-pass NAME skip one optimizer pass (repeatable; 'onyx inspect --opt-level all' lists them)\n"
    "  --repeat N          run N times and report the median and minimum time (default 1)\n"
    "  --seed N            seed of the random inputs (default 0)\n"
    "  --show N            how many values of each output to print (default 8)\n"
    "  --profile FILE      write a Chrome trace of loading and of every node run to FILE (open it in\n"
    "                      https://ui.perfetto.dev or chrome://tracing) and print the time by operator type\n"
    "  --profile-top N     how many of the slowest nodes the profile summary lists (default 10)\n";

namespace {

using Clock = std::chrono::steady_clock;

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string FormatMs(double ms) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), ms < 10 ? "%.3f ms" : "%.1f ms", ms);
  return buf;
}

struct RunArgs {
  std::string model;
  FeedArgs feeds;
  std::string output_dir;
  SessionFlags session;
  int repeat = 1;
  int64_t show = 8;
  std::string profile;
  int profile_top = 10;
};

RunArgs ParseRunArgs(const std::vector<std::string>& args) {
  RunArgs r;
  ArgReader reader("run", args);
  std::string value, positional;
  while (!reader.done()) {
    if (ReadFeedFlag(reader, &r.feeds) || ReadSessionFlag(reader, &r.session)) {
      continue;
    } else if (reader.Flag({"--output-dir", "-o"}, &value)) {
      if (value.empty()) Fail("--output-dir needs a folder");
      r.output_dir = value;
    } else if (reader.Flag({"--repeat"}, &value)) {
      r.repeat = static_cast<int>(ParseInt("--repeat", value, 1, 1000000));
    } else if (reader.Flag({"--profile"}, &value)) {
      if (value.empty()) Fail("--profile needs a file name");
      r.profile = value;
    } else if (reader.Flag({"--profile-top"}, &value)) {
      r.profile_top = static_cast<int>(ParseInt("--profile-top", value, 0, 1000000));
    } else if (reader.Flag({"--show"}, &value)) {
      r.show = ParseInt("--show", value, 0, 1000000);
    } else if (reader.Positional(&positional)) {
      if (!r.model.empty()) Fail("'onyx run' takes one model, got '", r.model, "' and '", positional, "'");
      r.model = positional;
    } else {
      reader.Unknown();
    }
  }
  if (r.model.empty()) Fail("'onyx run' needs a MODEL (see 'onyx run --help')");
  return r;
}

}  // namespace

int RunCommand(const std::vector<std::string>& args) {
  RunArgs a = ParseRunArgs(args);
  CheckModelPath(a.model);

  SessionOptions options = a.session.ToOptions();
  if (!a.profile.empty()) {
    options.enable_profiling = true;
    options.profile_file = a.profile;
  }
  auto load_start = Clock::now();
  auto created = Session::Create(a.model, options);
  if (!created.ok()) {
    // An unwritable trace file is the user's path, not the model's fault.
    if (!a.profile.empty() && created.status().message().rfind("cannot write the profile file", 0) == 0) {
      Fail(created.status().message());
    }
    Fail("cannot load model '", a.model, "': ", created.status().message());
  }
  double load_ms = MillisecondsSince(load_start);
  std::unique_ptr<Session> session = created.take();
  std::cout << "model: " << a.model << " (loaded in " << FormatMs(load_ms) << ")\n";

  std::vector<std::pair<std::string, Value>> feeds = MakeFeeds(*session, a.feeds, &std::cout);

  if (!a.output_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(a.output_dir, ec);
    if (!std::filesystem::is_directory(a.output_dir)) {
      Fail("cannot create output folder '", a.output_dir, "'", ec ? ": " + ec.message() : std::string());
    }
  }

  std::vector<Value> outputs;
  std::vector<double> times;
  for (int i = 0; i < a.repeat; ++i) {
    outputs.clear();
    auto start = Clock::now();
    Status s = session->Run(feeds, {}, &outputs);
    times.push_back(MillisecondsSince(start));
    if (!s.ok()) Fail("run failed: ", s.message());
  }
  const auto& infos = session->outputs();
  if (outputs.size() != infos.size()) {
    Fail("internal error: the model has ", infos.size(), " outputs but the run returned ", outputs.size());
  }

  std::set<std::string> used_names;
  for (size_t i = 0; i < outputs.size(); ++i) {
    std::cout << "output " << infos[i].name << ": " << DescribeValue(outputs[i], a.show) << "\n";
    if (a.output_dir.empty()) continue;
    std::string file = SanitizeFileName(infos[i].name);
    // Two names may sanitize to the same file; keep both.
    if (used_names.count(file)) file += "_" + std::to_string(i);
    used_names.insert(file);
    std::string path = (std::filesystem::path(a.output_dir) / (file + ".pb")).string();
    Status s = WriteValueFile(path, infos[i].name, outputs[i]);
    if (!s.ok()) Fail("cannot write output '", infos[i].name, "': ", s.message());
    std::cout << "  wrote " << path << "\n";
  }

  std::sort(times.begin(), times.end());
  if (times.size() == 1) {
    std::cout << "run time: " << FormatMs(times[0]) << "\n";
  } else {
    std::cout << "run time: median " << FormatMs(times[times.size() / 2]) << ", min " << FormatMs(times.front())
              << ", max " << FormatMs(times.back()) << " over " << times.size() << " runs\n";
  }
  if (!a.profile.empty()) {
    if (const Profiler* profiler = session->profiler())
      PrintProfileSummary(profiler->Events(), a.profile_top, std::cout);
    auto written = session->EndProfiling();
    if (!written.ok()) Fail(written.status().message());
    std::cout << "profile: wrote " << written.value() << " (open it in https://ui.perfetto.dev or chrome://tracing)\n";
  }
  return 0;
}

}  // namespace onyx::cli
