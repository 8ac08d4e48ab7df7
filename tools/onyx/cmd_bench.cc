// `onyx bench`: the latency of a model, in the spirit of onnxruntime_perf_test. Warm-up runs, then timed runs (a
// count or a duration), then the distribution of latencies, throughput, session creation time and peak memory.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "common/profiler.h"
#include "session/session.h"

namespace onyx::cli {

const char kBenchUsage[] =
    "usage: onyx bench MODEL [options]\n"
    "\n"
    "Measures MODEL's latency: warm-up runs, then timed runs on the same inputs. Prints the latency distribution\n"
    "(min, mean, p50, p90, p99, max), throughput, session creation time and the process's peak memory (RSS).\n"
    "Inputs not given with --input get random values, as in 'onyx run'. While stdout is a terminal a progress line\n"
    "is shown. Comparing engines is a side-by-side matter: see bench/compare_peers.py.\n"
    "\n"
    "Options:\n"
    "  --warmup N          untimed runs first (default 5)\n"
    "  --runs N            timed runs (default 100, or no limit with --duration)\n"
    "  --duration SECONDS  run for this long (at least one run); with --runs, whichever ends first\n"
    "  --threads N         intra-op threads (default 0: one per core)\n"
    "  --inter-op N        run independent nodes in parallel on N threads (0: one per core; default: in order)\n"
    "  --opt-level L       graph optimization: 0|disabled, 1|basic, 2|extended, 99|all (default all)\n"
    "  --disable-pass NAME skip one optimizer pass (repeatable)\n"
    "  --input NAME=FILE   value of input NAME from a TensorProto (.pb) or NumPy (.npy) file; repeatable\n"
    "  --dim NAME=VALUE    value of the symbolic dim NAME in random inputs; repeatable\n"
    "  --seed N            seed of the random inputs (default 0)\n"
    "  --json              print one JSON object with every figure instead of the text report\n";

namespace {

using Clock = std::chrono::steady_clock;

struct BenchArgs {
  std::string model;
  FeedArgs feeds;
  int64_t warmup = 5;
  int64_t runs = -1;       // -1: 100 unless a duration is given
  double duration_s = -1;  // -1: none
  SessionFlags session;
  bool json = false;
};

BenchArgs ParseBenchArgs(const std::vector<std::string>& args) {
  BenchArgs b;
  ArgReader reader("bench", args);
  std::string value, positional;
  while (!reader.done()) {
    if (ReadFeedFlag(reader, &b.feeds) || ReadSessionFlag(reader, &b.session)) {
      continue;
    } else if (reader.Flag({"--warmup"}, &value)) {
      b.warmup = ParseInt("--warmup", value, 0, 1000000000);
    } else if (reader.Flag({"--runs"}, &value)) {
      b.runs = ParseInt("--runs", value, 1, 1000000000);
    } else if (reader.Flag({"--duration"}, &value)) {
      b.duration_s = ParseDouble("--duration", value, 0);
      if (b.duration_s <= 0 || b.duration_s > 1e6)
        Fail("--duration: ", value, " must be above 0 and at most 1e6 seconds");
    } else if (reader.Switch({"--json"})) {
      b.json = true;
    } else if (reader.Positional(&positional)) {
      if (!b.model.empty()) Fail("'onyx bench' takes one model, got '", b.model, "' and '", positional, "'");
      b.model = positional;
    } else {
      reader.Unknown();
    }
  }
  if (b.model.empty()) Fail("'onyx bench' needs a MODEL (see 'onyx bench --help')");
  if (b.runs < 0 && b.duration_s < 0) b.runs = 100;
  return b;
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Nearest-rank percentile of sorted values: the smallest value that at least p% of the values do not exceed.
double Percentile(const std::vector<double>& sorted, double p) {
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const size_t i = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(i, sorted.size() - 1)];
}

double PeakRssMiB() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

// One line rewritten in place ('\r'), at most ten times a second, and only on a terminal.
class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled) {}
  void Show(const char* phase, int64_t done, int64_t total, double last_ms) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(100) && done != total) return;
    last_ = now;
    char buf[160];
    if (total > 0) {
      std::snprintf(buf, sizeof(buf), "\r%s %lld/%lld  last %.3f ms", phase, static_cast<long long>(done),
                    static_cast<long long>(total), last_ms);
    } else {
      std::snprintf(buf, sizeof(buf), "\r%s %lld  last %.3f ms", phase, static_cast<long long>(done), last_ms);
    }
    std::cout << buf << "\033[K" << std::flush;
    shown_ = true;
  }
  void Clear() {
    if (shown_) std::cout << "\r\033[K" << std::flush;
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
  Clock::time_point last_{};
};

}  // namespace

int BenchCommand(const std::vector<std::string>& args) {
  BenchArgs a = ParseBenchArgs(args);
  CheckModelPath(a.model);

  SessionOptions options = a.session.ToOptions();
  const auto create_begin = Clock::now();
  auto created = Session::Create(a.model, options);
  if (!created.ok()) Fail("cannot load model '", a.model, "': ", created.status().message());
  const double create_ms = Ms(Clock::now() - create_begin);
  std::unique_ptr<Session> session = created.take();
  std::vector<std::pair<std::string, Value>> feeds = MakeFeeds(*session, a.feeds, nullptr);

  Progress progress(!a.json && isatty(STDOUT_FILENO));
  std::vector<Value> outputs;
  auto run_once = [&]() -> double {
    outputs.clear();
    const auto begin = Clock::now();
    Status s = session->Run(feeds, {}, &outputs);
    const double ms = Ms(Clock::now() - begin);
    if (!s.ok()) {
      progress.Clear();
      Fail("run failed: ", s.message());
    }
    return ms;
  };
  for (int64_t i = 0; i < a.warmup; ++i) progress.Show("warm-up", i + 1, a.warmup, run_once());

  std::vector<double> latencies;
  const auto begin = Clock::now();
  const auto deadline =
      a.duration_s > 0
          ? begin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(a.duration_s))
          : Clock::time_point::max();
  while (true) {
    latencies.push_back(run_once());
    progress.Show("run", static_cast<int64_t>(latencies.size()), a.runs, latencies.back());
    if (a.runs > 0 && static_cast<int64_t>(latencies.size()) >= a.runs) break;
    if (Clock::now() >= deadline) break;
  }
  const double wall_s = Ms(Clock::now() - begin) / 1e3;
  progress.Clear();

  std::vector<double> sorted = latencies;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  for (double v : sorted) sum += v;
  const double mean = sum / static_cast<double>(sorted.size());
  const double throughput = wall_s > 0 ? static_cast<double>(sorted.size()) / wall_s : 0;
  const double rss = PeakRssMiB();
  const char* mode = a.session.inter_op >= 0 ? "parallel" : "sequential";

  char buf[1024];
  if (a.json) {
    std::string model;
    Profiler::AppendJsonString(&model, a.model);
    std::string level;
    Profiler::AppendJsonString(&level, a.session.opt_level_text);
    std::snprintf(buf, sizeof(buf),
                  "{\"model\":%s,\"onyx_version\":\"%s\",\"intra_op_threads\":%d,\"execution_mode\":\"%s\","
                  "\"inter_op_threads\":%s,\"opt_level\":%s,\"warmup_runs\":%lld,\"runs\":%zu,\"duration_s\":%.6f,"
                  "\"session_creation_ms\":%.6f,\"latency_ms\":{\"min\":%.6f,\"mean\":%.6f,\"p50\":%.6f,\"p90\":%.6f,"
                  "\"p99\":%.6f,\"max\":%.6f},\"throughput_runs_per_s\":%.6f,\"peak_rss_mib\":%.3f}",
                  model.c_str(), kVersion, a.session.threads, mode,
                  a.session.inter_op >= 0 ? std::to_string(a.session.inter_op).c_str() : "null", level.c_str(),
                  static_cast<long long>(a.warmup), sorted.size(), wall_s, create_ms, sorted.front(), mean,
                  Percentile(sorted, 50), Percentile(sorted, 90), Percentile(sorted, 99), sorted.back(), throughput,
                  rss);
    std::cout << buf << "\n";
    return 0;
  }
  std::cout << "model: " << a.model << "\n";
  std::snprintf(buf, sizeof(buf),
                "settings: intra-op threads %d%s, %s execution, opt level %s\n"
                "session creation: %.1f ms\n"
                "runs: %lld warm-up, %zu timed in %.3f s\n"
                "latency (ms): min %.3f  mean %.3f  p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n"
                "throughput: %.2f runs/s\n"
                "peak RSS: %.1f MiB\n",
                a.session.threads, a.session.threads == 0 ? " (one per core)" : "", mode,
                a.session.opt_level_text.c_str(), create_ms, static_cast<long long>(a.warmup), sorted.size(), wall_s,
                sorted.front(), mean, Percentile(sorted, 50), Percentile(sorted, 90), Percentile(sorted, 99),
                sorted.back(), throughput, rss);
  std::cout << buf;
  return 0;
}

}  // namespace onyx::cli
