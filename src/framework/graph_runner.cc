#include "framework/graph_runner.h"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>

#include "framework/partitioner.h"

namespace onyx {

RunContext::~RunContext() {
  if (cache_ == nullptr) return;
  for (auto& pool : pools_) cache_->Give(std::move(pool));
}

BufferPool* RunContext::PoolFor(const std::shared_ptr<Allocator>& allocator) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& pool : pools_) {
    if (pool->allocator() == allocator.get()) return pool.get();
  }
  std::shared_ptr<BufferPool> pool = cache_ ? cache_->Take(allocator.get()) : nullptr;
  if (!pool) pool = BufferPool::Create(allocator, cache_ != nullptr && cache_->memory_pattern());
  pools_.push_back(std::move(pool));
  return pools_.back().get();
}

ExecutionFrame::ExecutionFrame(const GraphRunner& runner, const ExecutionFrame* parent)
    : runner_(runner), parent_(parent) {}

const Value* ExecutionFrame::Find(const std::string& name) const {
  for (const ExecutionFrame* f = this; f != nullptr; f = f->parent_) {
    int slot = f->runner_.SlotOf(name);
    if (slot < 0) continue;
    const Value& v = f->runner_.SlotValue(f->slots_, slot);
    if (!v.empty()) return &v;
  }
  return nullptr;
}

GraphRunner::~GraphRunner() = default;

Result<std::unique_ptr<GraphRunner>> GraphRunner::Create(
    const ir::Graph& graph, const std::vector<std::shared_ptr<ExecutionProvider>>& providers, ThreadPool* pool,
    ThreadPool* inter_op_pool, bool profiling) {
  std::unique_ptr<GraphRunner> runner(new GraphRunner(graph));
  runner->pool_ = pool;
  runner->profiling_ = profiling;
  runner->buffer_cache_ = std::make_unique<BufferPoolCache>();
  ONYX_RETURN_IF_ERROR(runner->Plan(providers));
  if (inter_op_pool != nullptr && inter_op_pool->threads() > 1 && runner->steps_.size() > 1) {
    runner->inter_op_pool_ = inter_op_pool;
    runner->PlanParallel();
  }
  return runner;
}

void GraphRunner::PlanParallel() {
  const size_t n = steps_.size();
  std::vector<int> producer(slot_names_.size(), -1);
  for (size_t i = 0; i < n; ++i) {
    for (int s : steps_[i].outputs) {
      if (s >= 0) producer[static_cast<size_t>(s)] = static_cast<int>(i);
    }
  }
  successors_.assign(n, {});
  waits_for_.assign(n, 0);
  reads_.assign(n, {});
  readers_.assign(slot_names_.size(), 0);
  for (size_t i = 0; i < n; ++i) {
    std::set<int> read;
    for (int s : steps_[i].inputs) {
      if (s >= 0) read.insert(s);
    }
    for (const ir::Value* v : steps_[i].node->implicit_inputs()) {
      if (int s = SlotOf(v->name()); s >= 0) read.insert(s);
    }
    std::set<int> preds;
    for (int s : read) {
      ++readers_[static_cast<size_t>(s)];
      if (int p = producer[static_cast<size_t>(s)]; p >= 0) preds.insert(p);
    }
    for (int p : preds) successors_[static_cast<size_t>(p)].push_back(i);
    waits_for_[i] = static_cast<int>(preds.size());
    reads_[i].assign(read.begin(), read.end());
  }
  // What the sequential plan frees after a last use may be freed once its last reader is done.
  freeable_.assign(slot_names_.size(), false);
  for (const Step& step : steps_) {
    for (int s : step.frees) freeable_[static_cast<size_t>(s)] = true;
  }
}

Status GraphRunner::Plan(const std::vector<std::shared_ptr<ExecutionProvider>>& providers) {
  auto slot = [&](const ir::Value* v) -> int {
    if (v == nullptr) return -1;
    auto [it, inserted] = slot_of_.emplace(v->name(), static_cast<int>(slot_names_.size()));
    if (inserted) slot_names_.push_back(v->name());
    return it->second;
  };
  for (const ir::Value* v : graph_.inputs()) input_slots_.push_back(slot(v));
  for (const ir::Value* v : graph_.initializers()) {
    if (!v->is_graph_input()) constant_slots_.emplace_back(slot(v), v->initializer());
  }
  ONYX_ASSIGN_OR_RETURN(std::vector<ir::Node*> order, graph_.TopologicalOrder());
  std::set<int> produced_or_given(input_slots_.begin(), input_slots_.end());
  for (auto& [s, t] : constant_slots_) produced_or_given.insert(s);
  for (ir::Node* node : order) {
    Step step;
    step.node = node;
    if (node->provider < 0 || node->provider >= static_cast<int>(providers.size())) {
      return Fail(node->Describe(), " was not assigned to any execution provider");
    }
    const auto& provider = providers[static_cast<size_t>(node->provider)];
    step.allocator = provider->allocator();
    step.provider = provider->name();
    for (const ir::Value* v : node->inputs()) step.inputs.push_back(slot(v));
    for (const ir::Value* v : node->outputs()) step.outputs.push_back(slot(v));
    // Outer-scope values read by this node or its subgraphs come from the enclosing frame.
    std::vector<const ir::Value*> reads(node->inputs().begin(), node->inputs().end());
    reads.insert(reads.end(), node->implicit_inputs().begin(), node->implicit_inputs().end());
    for (const ir::Value* v : reads) {
      if (v == nullptr) continue;
      int s = slot(v);
      bool local = graph_.FindValue(v->name()) == v && (v->producer() || v->is_graph_input() || v->initializer());
      if (!local && !produced_or_given.count(s)) {
        outer_slots_.push_back(OuterSlot{s, v->name(), parent_ ? parent_->SlotOf(v->name()) : -1});
        produced_or_given.insert(s);
      }
    }
    for (int s : step.outputs) {
      if (s >= 0) produced_or_given.insert(s);
    }
    // Subgraph runners first: the kernel reads them at Init.
    std::vector<const GraphRunner*> sub_ptrs;
    std::vector<std::string> sub_names;
    for (const auto& [name, attr] : node->attributes()) {
      if (attr.g) {
        // As Create, without the inter-op pool: subgraphs run their nodes in order.
        std::unique_ptr<GraphRunner> sub(new GraphRunner(*attr.g));
        sub->pool_ = pool_;
        sub->owner_ = node;
        sub->owner_attribute_ = name;
        sub->depth_ = depth_ + 1;
        sub->profiling_ = profiling_;
        sub->parent_ = this;
        ONYX_RETURN_IF_ERROR(sub->Plan(providers));
        sub_ptrs.push_back(sub.get());
        sub_names.push_back(name);
        step.subgraphs.push_back(std::move(sub));
      }
    }
    ONYX_ASSIGN_OR_RETURN(step.kernel, CreateKernelFor(*node, *provider));
    KernelInfo info(*node, sub_ptrs, sub_names);
    info.set_graph(&graph_);
    Status st = step.kernel->Init(info);
    if (!st.ok()) {
      if (st.message().rfind(node->Describe(), 0) == 0) return st;
      return st.WithContext(node->Describe());
    }
    if (profiling_) step.profile = MakeProfileInfo(step, steps_.size());
    steps_.push_back(std::move(step));
  }
  for (const ir::Value* v : graph_.outputs()) {
    int s = slot(v);
    output_slots_.push_back(s);
    if (!produced_or_given.count(s)) {
      outer_slots_.push_back(OuterSlot{s, v->name(), parent_ ? parent_->SlotOf(v->name()) : -1});
      produced_or_given.insert(s);
    }
  }
  // Liveness: a slot is freed after the last step that reads it, unless it is a graph output.
  std::vector<int> last_use(slot_names_.size(), -1);
  for (size_t i = 0; i < steps_.size(); ++i) {
    for (int s : steps_[i].inputs) {
      if (s >= 0) last_use[static_cast<size_t>(s)] = static_cast<int>(i);
    }
    for (const ir::Value* v : steps_[i].node->implicit_inputs()) {
      int s = SlotOf(v->name());
      if (s >= 0) last_use[static_cast<size_t>(s)] = static_cast<int>(i);
    }
    // An output nobody reads is freed right after the step that made it.
    for (int s : steps_[i].outputs) {
      if (s >= 0 && last_use[static_cast<size_t>(s)] < static_cast<int>(i)) last_use[static_cast<size_t>(s)] = static_cast<int>(i);
    }
  }
  constant_values_.resize(slot_names_.size());
  for (auto& [s, t] : constant_slots_) constant_values_[static_cast<size_t>(s)] = Value(*t);
  std::set<int> keep(output_slots_.begin(), output_slots_.end());
  for (size_t s = 0; s < last_use.size(); ++s) {
    if (keep.count(static_cast<int>(s))) continue;
    if (last_use[s] >= 0) steps_[static_cast<size_t>(last_use[s])].frees.push_back(static_cast<int>(s));
  }
  return Status::Ok();
}

bool GraphRunner::SlotIsLocal(int slot) const {
  if (slot < 0 || static_cast<size_t>(slot) >= slot_names_.size()) return false;
  for (const OuterSlot& outer : outer_slots_) {
    if (outer.slot == slot) return false;
  }
  return true;
}

Status GraphRunner::Run(std::span<const Value> inputs, const ExecutionFrame* parent, RunContext& run,
                        std::vector<Value>* outputs, std::span<const int> output_indices,
                        std::span<const int> fetch_slots) const {
  ExecutionFrame frame(*this, parent);
  std::vector<Value>& slots = frame.slots();
  // Initializers are not copied in: an empty slot reads the runner's constant (SlotValue).
  slots.resize(slot_names_.size());
  if (inputs.size() > input_slots_.size()) {
    return InvalidArgument("graph '", graph_.name(), "' takes ", input_slots_.size(), " inputs, got ", inputs.size());
  }
  for (size_t i = 0; i < input_slots_.size(); ++i) {
    const ir::Value* v = graph_.inputs()[i];
    if (i < inputs.size() && !inputs[i].empty()) {
      slots[static_cast<size_t>(input_slots_[i])] = inputs[i];
    } else if (v->initializer()) {
      slots[static_cast<size_t>(input_slots_[i])] = Value(*v->initializer());
    }
  }
  for (const OuterSlot& o : outer_slots_) {
    if (parent == nullptr) continue;
    const Value* v = nullptr;
    if (o.parent_slot >= 0 && &parent->runner() == parent_) {
      const Value& pv = parent_->SlotValue(parent->slots(), o.parent_slot);
      if (!pv.empty()) v = &pv;
    }
    if (v == nullptr) v = parent->Find(o.name);
    if (v != nullptr) slots[static_cast<size_t>(o.slot)] = *v;
  }

  std::vector<bool> keep;
  for (int s : fetch_slots) {
    if (s < 0 || static_cast<size_t>(s) >= slot_names_.size()) return InvalidArgument("no value slot ", s);
    keep.resize(slot_names_.size(), false);
    keep[static_cast<size_t>(s)] = true;
  }
  const std::vector<bool>* keep_ptr = keep.empty() ? nullptr : &keep;
  ONYX_RETURN_IF_ERROR(inter_op_pool_ ? RunParallel(slots, run, frame, keep_ptr)
                                      : RunSequential(slots, run, frame, keep_ptr));

  outputs->clear();
  if (!fetch_slots.empty()) {
    for (int s : fetch_slots) {
      const Value& v = SlotValue(slots, s);
      if (v.empty()) {
        return Fail("graph '", graph_.name(), "' value '", slot_names_[static_cast<size_t>(s)], "' was not produced");
      }
      outputs->push_back(v);
    }
    return Status::Ok();
  }
  auto emit = [&](size_t i) -> Status {
    int s = output_slots_[i];
    const Value& v = SlotValue(slots, s);
    if (v.empty()) return Fail("graph '", graph_.name(), "' output '", slot_names_[static_cast<size_t>(s)], "' was not produced");
    outputs->push_back(v);
    return Status::Ok();
  };
  if (output_indices.empty()) {
    for (size_t i = 0; i < output_slots_.size(); ++i) ONYX_RETURN_IF_ERROR(emit(i));
  } else {
    for (int i : output_indices) {
      if (i < 0 || static_cast<size_t>(i) >= output_slots_.size()) return InvalidArgument("no output number ", i);
      ONYX_RETURN_IF_ERROR(emit(static_cast<size_t>(i)));
    }
  }
  return Status::Ok();
}

Status GraphRunner::ExecuteKernel(const Step& step, std::vector<Value>& slots, RunContext& run,
                                  ExecutionFrame& frame) const {
  // Most nodes have a few inputs and outputs: keep them on the stack rather than allocate per step.
  constexpr size_t kInline = 8;
  const size_t n_in = step.inputs.size(), n_out = step.outputs.size();
  const Value* in_inline[kInline];
  std::vector<const Value*> in_heap(n_in > kInline ? n_in : 0);
  std::span<const Value*> in_ptrs(n_in > kInline ? in_heap.data() : in_inline, n_in);
  for (size_t i = 0; i < n_in; ++i) {
    const int s = step.inputs[i];
    const Value* v = s >= 0 ? &SlotValue(slots, s) : nullptr;
    in_ptrs[i] = v && !v->empty() ? v : nullptr;
  }
  std::array<Value, 3> out_inline;
  std::vector<Value> out_heap(n_out > out_inline.size() ? n_out : 0);
  std::span<Value> out_values(n_out > out_inline.size() ? out_heap.data() : out_inline.data(), n_out);
  KernelContext ctx(*step.node, in_ptrs, out_values, step.allocator.get(), pool_, &run, &frame);
  Status st;
  try {
    st = step.kernel->Compute(ctx);
  } catch (const std::bad_alloc&) {
    st = Fail("out of memory");
  } catch (const std::exception& e) {
    st = Error(StatusCode::kRuntimeException, e.what());
  }
  if (!st.ok()) {
    if (st.message().rfind(step.node->Describe(), 0) == 0) return st;
    return st.WithContext(step.node->Describe());
  }
  for (size_t i = 0; i < step.outputs.size(); ++i) {
    int s = step.outputs[i];
    if (s < 0) continue;
    if (out_values[i].empty()) {
      return Fail(step.node->Describe(), ": kernel did not produce output ", i, " ('",
                  slot_names_[static_cast<size_t>(s)], "')");
    }
    slots[static_cast<size_t>(s)] = std::move(out_values[i]);
  }
  return Status::Ok();
}

Status GraphRunner::RunSequential(std::vector<Value>& slots, RunContext& run, ExecutionFrame& frame,
                                  const std::vector<bool>* keep) const {
  for (const Step& step : steps_) {
    if (run.terminated()) return Fail("run was terminated by the caller");
    ONYX_RETURN_IF_ERROR(ExecuteStep(step, slots, run, frame));
    for (int s : step.frees) {
      if (keep == nullptr || !(*keep)[static_cast<size_t>(s)]) slots[static_cast<size_t>(s)] = Value();
    }
  }
  return Status::Ok();
}

// Workers take ready steps from a shared queue; a finished step makes ready the steps that waited only for it
// and frees the values no step will read any more. Each slot is written by one step and read only after it,
// under the queue's lock, so slots need no lock of their own.
Status GraphRunner::RunParallel(std::vector<Value>& slots, RunContext& run, ExecutionFrame& frame,
                                const std::vector<bool>* keep) const {
  const size_t n = steps_.size();
  auto freeable = [&](int s) {
    return freeable_[static_cast<size_t>(s)] && (keep == nullptr || !(*keep)[static_cast<size_t>(s)]);
  };
  std::mutex mu;
  std::condition_variable cv;
  std::vector<int> waiting = waits_for_;
  std::vector<int> unread = readers_;
  std::deque<size_t> ready;
  for (size_t i = 0; i < n; ++i) {
    if (waiting[i] == 0) ready.push_back(i);
  }
  size_t done = 0, running = 0;
  Status failure;
  auto worker = [&](int64_t, int64_t) {
    std::unique_lock<std::mutex> lock(mu);
    while (true) {
      cv.wait(lock, [&] { return !ready.empty() || done == n || !failure.ok() || running == 0; });
      if (done == n || !failure.ok()) return;
      if (ready.empty()) {
        // Nothing ready and nothing running: no step can become ready (the plan is acyclic, so this is a bug).
        failure = Fail("graph '", graph_.name(), "': parallel run stalled after ", done, " of ", n, " steps");
        cv.notify_all();
        return;
      }
      const size_t i = ready.front();
      ready.pop_front();
      ++running;
      lock.unlock();
      Status st = run.terminated() ? Fail("run was terminated by the caller") : ExecuteStep(steps_[i], slots, run, frame);
      lock.lock();
      --running;
      ++done;
      if (!st.ok()) {
        if (failure.ok()) failure = st;
        cv.notify_all();
        return;
      }
      for (size_t j : successors_[i]) {
        if (--waiting[j] == 0) ready.push_back(j);
      }
      for (int s : reads_[i]) {
        if (--unread[static_cast<size_t>(s)] == 0 && freeable(s)) slots[static_cast<size_t>(s)] = Value();
      }
      for (int s : steps_[i].outputs) {
        if (s >= 0 && readers_[static_cast<size_t>(s)] == 0 && freeable(s)) {
          slots[static_cast<size_t>(s)] = Value();
        }
      }
      cv.notify_all();
    }
  };
  inter_op_pool_->ParallelFor(inter_op_pool_->threads(), worker, 1);
  return failure;
}

}  // namespace onyx
