// The session profiler: where a session spends its time, written as a Chrome trace (the "JSON Object Format" of
// the Trace Event Format: {"traceEvents": [...]}, complete "X" events with ts and dur in microseconds), which
// chrome://tracing, Perfetto (ui.perfetto.dev) and onnxruntime's profile tools read. Event names and args follow
// onnxruntime's profiler ("model_run", "<node>_kernel_time" with op_name, provider, input_type_shape, ...) so
// scripts written for its traces read ours.
//
// Recording is thread-safe (concurrent Runs, the parallel execution mode's workers) and cheap: what stays the same
// for every run of a node is made once when the session is planned (ProfileNodeInfo), a node event holds only its
// times and its shapes in a compact form, and JSON is written at the end. Events are appended under a short lock.
// A session without profiling has no Profiler at all, so the run loop pays one null-pointer test per node.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace onyx {

// What the events of one node share, made once per node.
struct ProfileNodeInfo {
  std::string name;     // "conv1_kernel_time"
  std::string op_type;  // for summaries that do not parse args
  std::string args;     // the args members that do not change between runs, as JSON ("\"op_name\":\"Conv\",...")
  int depth = 0;        // 0 in the main graph, 1 in a subgraph of one of its nodes, ...
};

// The shapes a node read and wrote, packed in one array: the number of inputs, then for each input and then each
// output its type name (a pointer to a string with static storage, such as DataTypeName's), its rank and dims.
class ProfileShapes {
 public:
  void Reserve(size_t n) { packed_.reserve(n); }
  // Inputs first, then outputs. `type` must have static storage: it is read when the trace is written.
  void Add(const char* type, const int64_t* dims, size_t rank, bool is_input);
  // input_type_shape and output_type_shape members: ,"input_type_shape":[{"float":[1,3]}],...
  void AppendJson(std::string* out) const;

 private:
  std::vector<int64_t> packed_;
};

struct ProfileEvent {
  enum class Category : uint8_t { kSession, kNode };
  Category category = Category::kSession;
  std::string name;                             // session events: "model_run", "session_initialization", ...
  std::shared_ptr<const ProfileNodeInfo> node;  // node events
  int64_t start_ns = 0;                         // since the profiler started
  int64_t duration_ns = 0;
  int tid = 0;
  std::string args;      // session events: the members of "args", as JSON
  ProfileShapes shapes;  // node events
  int64_t output_bytes = 0;

  const std::string& Name() const { return node ? node->name : name; }
  const std::string& OpType() const;
  int Depth() const { return node ? node->depth : 0; }
  // The members of the event's "args" object, as JSON (without the braces).
  std::string ArgsJson() const;
};

class Profiler {
 public:
  using Clock = std::chrono::steady_clock;
  // Past this many events a profiler counts what it drops instead of growing without bound (a long-running
  // service left with profiling on); the trace's otherData says how many were dropped.
  static constexpr size_t kMaxEvents = 2'000'000;

  // Opens (creates or truncates) `path` at once, so a path that cannot be written is an error when the session
  // is made rather than after the runs.
  static Result<std::unique_ptr<Profiler>> Start(const std::string& path);
  // "<prefix>_<YYYY-MM-DD_HH-MM-SS>.json" as onnxruntime names its traces (local time).
  static std::string PathForPrefix(const std::string& prefix);
  // A profiler destroyed without End (its session failed to load) removes the empty file it opened.
  ~Profiler();

  // False once End has been called: later events are not recorded.
  bool active() const { return active_.load(std::memory_order_acquire); }
  Clock::time_point start() const { return start_; }
  // When profiling started, in nanoseconds since the Unix epoch (to line traces up with other clocks).
  int64_t start_time_ns() const { return start_wall_ns_; }
  const std::string& path() const { return path_; }
  int64_t NsSinceStart(Clock::time_point t) const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t - start_).count();
  }

  void Record(ProfileEvent event);
  // A session event ("model_loading_uri", "model_run", ...) timed from `begin` to now, on this thread.
  void RecordSpan(std::string name, Clock::time_point begin, std::string args = {});
  // Writes every event to the file and stops recording; returns the file's path. A second call writes nothing
  // and returns "".
  Result<std::string> End();
  // A copy of the events recorded so far (summaries, tests).
  std::vector<ProfileEvent> Events() const;
  size_t dropped() const;

  // A small number for the calling thread (1, 2, ...), stable for its lifetime: the trace's tid.
  static int ThreadId();
  // Appends `s` as a JSON string literal, quotes included.
  static void AppendJsonString(std::string* out, std::string_view s);

 private:
  Profiler() = default;

  std::string path_;
  // stdio, not std::ofstream: a file stream brings the iostreams and their locale into every program that links
  // the session, the largest part of a static one (docs/EDGE.md, "Sizes").
  struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, FileCloser> file_;
  Clock::time_point start_;
  int64_t start_wall_ns_ = 0;
  std::atomic<bool> active_{true};
  mutable std::mutex mutex_;
  std::deque<ProfileEvent> events_;  // a deque: growing never moves what was recorded
  size_t dropped_ = 0;
};

}  // namespace onyx
