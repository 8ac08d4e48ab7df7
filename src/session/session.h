// Session: ties the flow together. Load → IR → validate + infer shapes → optimize → partition → plan → run.
// A Session is immutable once made; Run may be called from several threads at once.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/logging.h"
#include "common/status.h"
#include "framework/execution_provider.h"
#include "framework/value.h"
#include "ir/model.h"

namespace onyx {

class GraphRunner;
class Profiler;
class ThreadPool;

enum class ExecutionMode { kSequential = 0, kParallel = 1 };
enum class OptimizationLevel { kDisabled = 0, kBasic = 1, kExtended = 2, kAll = 99 };

struct SessionOptions {
  LogLevel log_level = LogLevel::kWarning;
  int intra_op_threads = 0;  // 0: one per core
  // Parallel mode runs independent nodes at the same time on inter_op_threads threads (0: one per core; also
  // config "session.inter_op_num_threads"); sequential mode runs them one after another.
  ExecutionMode execution_mode = ExecutionMode::kSequential;
  int inter_op_threads = 0;
  OptimizationLevel optimization_level = OptimizationLevel::kAll;
  // Providers in order of preference; the CPU provider is always added last if absent.
  std::vector<std::shared_ptr<ExecutionProvider>> providers;
  std::map<std::string, std::string> config;
  // Optimizer passes to skip, by name (see `onyx inspect --opt-level`).
  std::set<std::string> disabled_passes;
  // When set, the optimized model is written here at session creation.
  std::string optimized_model_path;
  // Profiling: a Chrome trace (chrome://tracing, Perfetto) of loading, optimizing and initializing the session,
  // of each Run and of each node it runs (subgraph nodes included), written by Session::EndProfiling or when the
  // session is destroyed. The file is `profile_file` when set, else "<profile_file_prefix>_<date>_<time>.json".
  bool enable_profiling = false;
  std::string profile_file_prefix = "onyx_profile";
  std::string profile_file;
  // Memory (as onnxruntime's options of these names): keep the buffers of a run for the next ones, and, for
  // runs that repeat the same shapes, lay their buffers out in one planned arena (framework/memory_pattern.h).
  bool enable_cpu_mem_arena = true;
  bool enable_mem_pattern = true;
};

// What the optimizer did when the session was made.
struct OptimizationSummary {
  size_t nodes_before = 0, nodes_after = 0;
  std::vector<std::pair<std::string, int>> passes;  // pass name, rewrites
};

struct RunOptions {
  std::atomic<bool>* terminate = nullptr;  // set to true to stop a run between nodes
};

// A graph input or output as seen from outside.
struct IoInfo {
  std::string name;
  ir::Type type;
};

class Session {
 public:
  static Result<std::unique_ptr<Session>> Create(const std::string& path, const SessionOptions& options = {});
  static Result<std::unique_ptr<Session>> CreateFromBytes(const void* data, size_t size,
                                                          const SessionOptions& options = {});
  // Takes an IR model built in memory (tests, tools).
  static Result<std::unique_ptr<Session>> CreateFromModel(std::unique_ptr<ir::Model> model,
                                                          const SessionOptions& options = {});
  ~Session();

  const std::vector<IoInfo>& inputs() const { return inputs_; }
  const std::vector<IoInfo>& outputs() const { return outputs_; }
  // Initializers that a feed may replace (IR < 4 models list them as inputs too).
  const std::vector<IoInfo>& overridable_initializers() const { return overridable_; }
  const ir::ModelMetadata& metadata() const { return model_->metadata; }
  const ir::Model& model() const { return *model_; }
  const SessionOptions& options() const { return options_; }
  const OptimizationSummary& optimization() const { return optimization_; }
  // Provider names in preference order, CPU last.
  std::vector<std::string> provider_names() const;

  // Runs the model. Feeds are checked first: an unknown or missing name, a wrong element type, a wrong
  // rank, or a dim that contradicts a fixed dim is an error naming the input and what was expected.
  // An empty output_names asks for every output, in graph order. A name may also be an intermediate value of
  // the main graph (or an input or initializer): it is returned as it is at the session's optimization level,
  // kept alive for that run only. A value the optimizer fused away is an error that says so (and suggests a
  // lower optimization level); values inside If/Loop/Scan bodies cannot be fetched.
  Status Run(const std::vector<std::pair<std::string, Value>>& feeds, const std::vector<std::string>& output_names,
             std::vector<Value>* outputs, const RunOptions& run_options = {}) const;

  // Profiling (SessionOptions::enable_profiling). EndProfiling writes the trace and stops recording; it returns
  // the file's name, or "" when the session does not profile or has already ended. Safe to call while other
  // threads run the session: their later events are not recorded.
  Result<std::string> EndProfiling() const;
  // The profiler while the session profiles (null otherwise): events so far, for summaries.
  const Profiler* profiler() const;
  // When profiling started, in nanoseconds since the Unix epoch; 0 when the session does not profile.
  int64_t profiling_start_time_ns() const;

 private:
  Session() = default;
  static Result<std::unique_ptr<Session>> Make(std::unique_ptr<ir::Model> model, const SessionOptions& options,
                                               std::unique_ptr<Profiler> profiler);
  Status Initialize();
  // The runner's slot of a value that is not a graph output, or an error naming it.
  Result<int> IntermediateSlot(const std::string& name) const;
  Status CheckFeed(const std::string& name, const Value& value, const ir::Type& expected) const;

  SessionOptions options_;
  std::unique_ptr<ir::Model> model_;
  std::vector<std::shared_ptr<ExecutionProvider>> providers_;
  std::unique_ptr<ThreadPool> thread_pool_;
  std::unique_ptr<ThreadPool> inter_op_pool_;  // parallel execution mode only
  std::unique_ptr<GraphRunner> runner_;
  std::unique_ptr<Profiler> profiler_;  // null unless profiling
  std::vector<IoInfo> inputs_, outputs_, overridable_;
  OptimizationSummary optimization_;
  // Main-graph values the optimizer removed: asking for one of them by name says so.
  std::set<std::string> optimized_away_;
};

}  // namespace onyx
