// The planner and the sequential executor. GraphRunner turns a partitioned graph into a static plan (one
// kernel per node in topological order, a slot per value, the slots each step frees after their last use)
// and runs it. Subgraphs (If/Loop/Scan bodies) get runners of their own, which read the enclosing frame.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/limits.h"
#include "common/profiler.h"
#include "common/status.h"
#include "common/thread_pool.h"
#include "framework/buffer_pool.h"
#include "framework/execution_provider.h"
#include "framework/op_kernel.h"
#include "ir/graph.h"

namespace onyx {

struct RunOptions;

// State shared by one Run and the subgraph runs it makes: buffer pools, the caller's options, and the profiler
// that times each node (null when the session does not profile). With a cache, the pools come from it and go
// back to it when the run ends.
class RunContext {
 public:
  explicit RunContext(const std::atomic<bool>* terminate = nullptr, BufferPoolCache* cache = nullptr,
                      Profiler* profiler = nullptr)
      : terminate_(terminate), cache_(cache), profiler_(profiler) {}
  ~RunContext();
  RunContext(const RunContext&) = delete;
  RunContext& operator=(const RunContext&) = delete;
  BufferPool* PoolFor(const std::shared_ptr<Allocator>& allocator);
  bool terminated() const { return terminate_ && terminate_->load(); }
  Profiler* profiler() const { return profiler_; }
  // The largest tensor a kernel may allocate in this run (Limits::max_tensor_bytes, "session.max_tensor_bytes").
  int64_t max_tensor_bytes() const { return max_tensor_bytes_; }
  void set_max_tensor_bytes(int64_t bytes) { max_tensor_bytes_ = bytes; }
  // The longest string a kernel may make in this run (Limits::max_string_bytes, "session.max_string_bytes").
  int64_t max_string_bytes() const { return max_string_bytes_; }
  void set_max_string_bytes(int64_t bytes) { max_string_bytes_ = bytes; }

 private:
  std::mutex mutex_;
  // Nearly every run has one allocator: a short list, searched without hashing.
  std::vector<std::shared_ptr<BufferPool>> pools_;
  const std::atomic<bool>* terminate_;
  BufferPoolCache* cache_;
  Profiler* profiler_;
  int64_t max_tensor_bytes_ = kMaxTensorBytes;
  int64_t max_string_bytes_ = Limits{}.max_string_bytes;
};

class GraphRunner;

// The values of one graph during one run.
class ExecutionFrame {
 public:
  ExecutionFrame(const GraphRunner& runner, const ExecutionFrame* parent);
  // Looks a value up by name here, then in enclosing frames.
  const Value* Find(const std::string& name) const;
  std::vector<Value>& slots() { return slots_; }
  const std::vector<Value>& slots() const { return slots_; }
  const GraphRunner& runner() const { return runner_; }

 private:
  const GraphRunner& runner_;
  const ExecutionFrame* parent_;
  std::vector<Value> slots_;
};

class GraphRunner {
 public:
  // `pool` serves the kernels (intra-op); with `inter_op_pool` the graph's independent nodes run at the same
  // time on it (the parallel execution mode; subgraphs run their nodes in order).
  static Result<std::unique_ptr<GraphRunner>> Create(const ir::Graph& graph,
                                                     const std::vector<std::shared_ptr<ExecutionProvider>>& providers,
                                                     ThreadPool* pool, ThreadPool* inter_op_pool = nullptr,
                                                     bool profiling = false);
  ~GraphRunner();

  const ir::Graph& graph() const { return graph_; }
  // The buffer pools of finished runs, kept for the next ones: a Run's RunContext takes them from here
  // (null for subgraph runners, whose runs share their parent run's pools).
  BufferPoolCache* buffer_cache() const { return buffer_cache_.get(); }
  // SessionOptions' enable_cpu_mem_arena (keep pools across runs) and enable_mem_pattern (plan the memory of
  // runs that repeat; framework/memory_pattern.h). Before the first run.
  void SetMemoryReuse(bool across_runs, bool pattern) {
    buffer_cache_ = across_runs ? std::make_unique<BufferPoolCache>(pattern) : nullptr;
  }
  // The session's limits (common/limits.h); kernels' allocations in a run are held to max_tensor_bytes.
  const Limits& limits() const { return limits_; }
  void SetLimits(const Limits& limits) { limits_ = limits; }
  // Runs the graph. `inputs` has one entry per graph input in order (an empty Value takes the input's
  // initializer, if it has one). `output_indices` selects graph outputs (empty: all). `fetch_slots`, when not
  // empty, replaces them: the slots (SlotOf, OutputSlot) whose values are returned, in that order, intermediate
  // values included; those slots are kept to the end of the run where the plan would free them earlier.
  Status Run(std::span<const Value> inputs, const ExecutionFrame* parent, RunContext& run, std::vector<Value>* outputs,
             std::span<const int> output_indices = {}, std::span<const int> fetch_slots = {}) const;

  int SlotOf(const std::string& name) const {
    auto it = slot_of_.find(name);
    return it == slot_of_.end() ? -1 : it->second;
  }
  // The slot of graph output `i`.
  int OutputSlot(size_t i) const { return output_slots_[i]; }
  // Whether a step of this graph writes the slot (or it is an input or a constant): what can be fetched.
  bool SlotIsLocal(int slot) const;
  size_t step_count() const { return steps_.size(); }
  // What a slot holds during a run: the frame's value, or for an initializer (never copied into the frame)
  // the constant.
  const Value& SlotValue(const std::vector<Value>& slots, int s) const {
    const Value& v = slots[static_cast<size_t>(s)];
    return v.empty() ? constant_values_[static_cast<size_t>(s)] : v;
  }

 private:
  struct Step {
    const ir::Node* node;
    std::unique_ptr<OpKernel> kernel;
    std::vector<int> inputs;   // -1: omitted
    std::vector<int> outputs;  // -1: omitted
    std::vector<int> frees;    // slots whose last use is this step
    std::shared_ptr<Allocator> allocator;
    std::string provider;                            // the provider's name, for the profiler
    std::shared_ptr<const ProfileNodeInfo> profile;  // sessions that profile: what each event of this node shares
    std::vector<std::unique_ptr<GraphRunner>> subgraphs;
  };
  explicit GraphRunner(const ir::Graph& graph) : graph_(graph) {}
  Status Plan(const std::vector<std::shared_ptr<ExecutionProvider>>& providers);
  // The dependency graph of the steps, for running them in parallel.
  void PlanParallel();
  // Runs one step on the frame's slots: its inputs in, its outputs stored.
  Status ExecuteStep(const Step& step, std::vector<Value>& slots, RunContext& run, ExecutionFrame& frame) const {
    if (run.profiler() != nullptr) [[unlikely]] {
      return ExecuteStepProfiled(step, slots, run, frame);
    }
    return ExecuteKernel(step, slots, run, frame);
  }
  Status ExecuteKernel(const Step& step, std::vector<Value>& slots, RunContext& run, ExecutionFrame& frame) const;
  // ExecuteKernel timed, and recorded as a node event with the shapes it read and wrote (graph_profiling.cc).
  // Steps made without profiling (no ProfileNodeInfo) are run untimed.
  Status ExecuteStepProfiled(const Step& step, std::vector<Value>& slots, RunContext& run, ExecutionFrame& frame) const;
  // The parts of a node's events that stay the same from run to run (graph_profiling.cc).
  std::shared_ptr<const ProfileNodeInfo> MakeProfileInfo(const Step& step, size_t index) const;
  // `keep` (null, or one flag per slot) marks slots not to free: values fetched by name.
  Status RunSequential(std::vector<Value>& slots, RunContext& run, ExecutionFrame& frame,
                       const std::vector<bool>* keep) const;
  Status RunParallel(std::vector<Value>& slots, RunContext& run, ExecutionFrame& frame,
                     const std::vector<bool>* keep) const;

  const ir::Graph& graph_;
  // A subgraph's runner: the node that holds it, the attribute it is (then_branch, body) and how deep it nests.
  const ir::Node* owner_ = nullptr;
  std::string owner_attribute_;
  int depth_ = 0;
  bool profiling_ = false;
  ThreadPool* pool_ = nullptr;
  ThreadPool* inter_op_pool_ = nullptr;
  // Parallel mode: the steps that wait for each step, how many steps each waits for, the slots each reads
  // (inputs and subgraph reads, once each), how many steps read each slot, and which slots may be freed.
  std::vector<std::vector<size_t>> successors_;
  std::vector<int> waits_for_;
  std::vector<std::vector<int>> reads_;
  std::vector<int> readers_;
  std::vector<bool> freeable_;
  std::unordered_map<std::string, int> slot_of_;
  std::vector<std::string> slot_names_;
  std::vector<Step> steps_;
  std::vector<int> input_slots_, output_slots_;
  std::vector<std::pair<int, const Tensor*>> constant_slots_;  // initializers
  std::vector<Value> constant_values_;                         // by slot; empty where not an initializer
  // Read from the enclosing frame: found by the slot the enclosing runner gave the name when it has one
  // (no lookup by name on every run), else by name up the frames.
  struct OuterSlot {
    int slot;
    std::string name;
    int parent_slot;
  };
  std::vector<OuterSlot> outer_slots_;
  const GraphRunner* parent_ = nullptr;  // the runner whose node holds this subgraph
  std::unique_ptr<BufferPoolCache> buffer_cache_;
  Limits limits_;
};

}  // namespace onyx
