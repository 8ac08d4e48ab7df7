#include "session/session.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "common/profiler.h"
#include "common/thread_pool.h"
#include "ep/cpu/cpu_provider.h"
#include "format/model_loader.h"
#include "format/model_saver.h"
#include "framework/host_memory.h"
#include "framework/bool_bytes.h"
#include "framework/graph_runner.h"
#include "framework/partitioner.h"
#include "ir/autodiff.h"
#include "ir/shape_inference.h"
#include "ir/validate.h"
#include "optimizer/optimizer.h"
#include "session/session_limits.h"

namespace onyx {

namespace {

using Clock = std::chrono::steady_clock;

Result<std::unique_ptr<Profiler>> StartProfiler(const SessionOptions& options) {
  if (!options.enable_profiling) return std::unique_ptr<Profiler>();
  const std::string path =
      options.profile_file.empty() ? Profiler::PathForPrefix(options.profile_file_prefix) : options.profile_file;
  return Profiler::Start(path);
}

std::string PathArgs(const std::string& path) {
  std::string args = "\"path\":";
  Profiler::AppendJsonString(&args, path);
  return args;
}

}  // namespace

Session::~Session() {
  if (profiler_ && profiler_->active()) {
    auto written = profiler_->End();
    if (!written.ok()) Log(LogLevel::kError, written.status().message());
  }
}

Result<std::unique_ptr<Session>> Session::Create(const std::string& path, const SessionOptions& options) {
  ONYX_ASSIGN_OR_RETURN(Limits limits, LimitsFromConfig(options.config));
  ONYX_ASSIGN_OR_RETURN(auto profiler, StartProfiler(options));
  const auto begin = Clock::now();
  ONYX_ASSIGN_OR_RETURN(auto model, format::LoadModel(path, limits));
  if (profiler) profiler->RecordSpan("model_loading_uri", begin, PathArgs(path));
  return Make(std::move(model), options, std::move(profiler));
}

Result<std::unique_ptr<Session>> Session::CreateFromBytes(const void* data, size_t size, const SessionOptions& options) {
  ONYX_ASSIGN_OR_RETURN(Limits limits, LimitsFromConfig(options.config));
  ONYX_ASSIGN_OR_RETURN(auto profiler, StartProfiler(options));
  const auto begin = Clock::now();
  ONYX_ASSIGN_OR_RETURN(auto model, format::LoadModelFromBytes(data, size, {}, limits));
  if (profiler) profiler->RecordSpan("model_loading_array", begin, MakeString("\"bytes\":", size));
  return Make(std::move(model), options, std::move(profiler));
}

Result<std::unique_ptr<Session>> Session::CreateFromModel(std::unique_ptr<ir::Model> model,
                                                         const SessionOptions& options) {
  ONYX_ASSIGN_OR_RETURN(auto profiler, StartProfiler(options));
  return Make(std::move(model), options, std::move(profiler));
}

Result<std::unique_ptr<Session>> Session::Make(std::unique_ptr<ir::Model> model, const SessionOptions& options,
                                               std::unique_ptr<Profiler> profiler) {
  if (!model || !model->graph) return InvalidArgument("no model");
  std::unique_ptr<Session> s(new Session());
  s->options_ = options;
  s->model_ = std::move(model);
  s->profiler_ = std::move(profiler);
  const auto begin = Clock::now();
  ONYX_RETURN_IF_ERROR(s->Initialize());
  if (s->profiler_) s->profiler_->RecordSpan("session_initialization", begin);
  return s;
}

Result<std::string> Session::EndProfiling() const {
  if (!profiler_) return std::string();
  return profiler_->End();
}

const Profiler* Session::profiler() const { return profiler_ && profiler_->active() ? profiler_.get() : nullptr; }

int64_t Session::profiling_start_time_ns() const { return profiler_ ? profiler_->start_time_ns() : 0; }

Status Session::Initialize() {
  SetLogLevel(options_.log_level);
  if (options_.intra_op_threads < 0) {
    return InvalidArgument("intra_op_threads must be 0 (one per core) or more, got ", options_.intra_op_threads);
  }
  if (options_.inter_op_threads < 0) {
    return InvalidArgument("inter_op_threads must be 0 (one per core) or more, got ", options_.inter_op_threads);
  }
  int inter_op_threads = options_.inter_op_threads;
  if (auto it = options_.config.find("session.inter_op_num_threads"); it != options_.config.end()) {
    char* end = nullptr;
    const long v = std::strtol(it->second.c_str(), &end, 10);
    if (it->second.empty() || *end != '\0' || v < 0 || v > 4096) {
      return InvalidArgument("config session.inter_op_num_threads must be a number of threads, got '", it->second, "'");
    }
    inter_op_threads = static_cast<int>(v);
  }
  ONYX_ASSIGN_OR_RETURN(Limits limits, LimitsFromConfig(options_.config));
  // The steps of session initialization, each a profiler event of its own.
  auto step_done = [&](const char* name, Clock::time_point begin, std::string args = {}) {
    if (profiler_) profiler_->RecordSpan(name, begin, std::move(args));
  };
  auto begin = Clock::now();
  ir::Graph& graph = *model_->graph;
  ONYX_RETURN_IF_ERROR(ir::ValidateModel(*model_));
  ONYX_RETURN_IF_ERROR(ir::InferShapes(graph));
#if !defined(ONYX_MINIMAL)  // no training graphs in the minimal build (docs/EDGE.md): a Gradient node finds no kernel
  if (ir::HasGradientNodes(graph)) {  // training-domain Gradient nodes become ordinary backward nodes
    ONYX_RETURN_IF_ERROR(ir::ExpandGradients(graph));
    ONYX_RETURN_IF_ERROR(ir::InferShapes(graph));
  }
#endif
  // Before IR version 4 every initializer was also listed as a graph input, by convention rather than to be
  // fed. When optimizing, Onyx treats them as the constants they are (so weights fold); at level disabled
  // they stay overridable, as the file declares.
  step_done("graph_validation_and_shape_inference", begin);
  begin = Clock::now();
  if (model_->metadata.ir_version < 4 && options_.optimization_level != OptimizationLevel::kDisabled) {
    for (ir::Value* v : std::vector<ir::Value*>(graph.inputs())) graph.DemoteInputToConstant(v);
  }
  std::set<std::string> names_before;
  for (const auto& [name, value] : graph.values()) {
    if (value->producer() || value->is_graph_input() || value->initializer()) names_before.insert(name);
  }
#if defined(ONYX_MINIMAL)
  // The minimal build has no optimizer (docs/EDGE.md): the graph runs as the file gives it, at every level.
  opt::OptimizeReport report;
  report.nodes_before = report.nodes_after = graph.nodes().size();
#else
  opt::PassContext pass_ctx;
  pass_ctx.kernels = &KernelRegistryFor(kCpuProvider);
  ONYX_ASSIGN_OR_RETURN(opt::OptimizeReport report,
                        opt::Optimize(graph, static_cast<opt::Level>(options_.optimization_level),
                                      options_.disabled_passes, pass_ctx));
#endif
  if (options_.optimization_level != OptimizationLevel::kDisabled) {
    // The passes folded constants and fused operators, which can make shapes certain that the first inference
    // could not see. This inference only fills what is unknown (never a type or a known dim), so it cannot
    // undo what the passes established; a failure leaves the types as they were.
    Status refined = ir::InferShapes(graph, ir::InferOptions{.refine_only = true});
    if (!refined.ok()) Log(LogLevel::kVerbose, "shape inference after optimizing: ", refined.message());
  }
  for (const std::string& name : names_before) {
    const ir::Value* v = graph.FindValue(name);
    if (v == nullptr || !(v->producer() || v->is_graph_input() || v->initializer())) optimized_away_.insert(name);
  }
  ReturnFreedHostMemory();  // the weights the passes replaced (folded, fused, repacked)
  optimization_.nodes_before = report.nodes_before;
  optimization_.nodes_after = report.nodes_after;
  for (const auto& p : report.passes) optimization_.passes.emplace_back(p.pass, p.rewrites);
  step_done("graph_optimization", begin,
            MakeString("\"nodes_before\":", report.nodes_before, ",\"nodes_after\":", report.nodes_after));
  if (!options_.optimized_model_path.empty()) {
    Status saved = format::SaveModel(*model_, options_.optimized_model_path);
    if (!saved.ok()) return saved.WithContext("writing the optimized model");
  }

  begin = Clock::now();
  providers_ = options_.providers;
  for (const auto& p : providers_) {
    if (!p) return InvalidArgument("a null execution provider was given");
  }
  bool has_cpu = std::any_of(providers_.begin(), providers_.end(), [](const auto& p) { return p->name() == kCpuProvider; });
  if (!has_cpu) providers_.push_back(std::make_shared<CpuExecutionProvider>());
  // The CPU provider is the fallback: keep it last whatever the user's order.
  std::stable_partition(providers_.begin(), providers_.end(), [](const auto& p) { return p->name() != kCpuProvider; });
  ONYX_RETURN_IF_ERROR(PartitionGraph(graph, providers_));
  step_done("graph_partitioning", begin);

  begin = Clock::now();

  int threads = options_.intra_op_threads;
  if (threads == 0) threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  if (threads > 1) thread_pool_ = std::make_unique<ThreadPool>(threads);
  if (options_.execution_mode == ExecutionMode::kParallel) {
    if (inter_op_threads == 0) inter_op_threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    if (inter_op_threads > 1) inter_op_pool_ = std::make_unique<ThreadPool>(inter_op_threads);
  }
  ONYX_ASSIGN_OR_RETURN(
      runner_, GraphRunner::Create(graph, providers_, thread_pool_.get(), inter_op_pool_.get(), profiler_ != nullptr));
  runner_->SetMemoryReuse(options_.enable_cpu_mem_arena, options_.enable_mem_pattern);
  runner_->SetLimits(limits);
  ReturnFreedHostMemory();  // what the kernels' weight packing replaced
  step_done("session_planning", begin, MakeString("\"steps\":", runner_->step_count()));

  for (const ir::Value* v : graph.inputs()) {
    (v->initializer() ? overridable_ : inputs_).push_back(IoInfo{v->name(), v->type()});
  }
  for (const ir::Value* v : graph.outputs()) outputs_.push_back(IoInfo{v->name(), v->type()});
  return Status::Ok();
}

std::vector<std::string> Session::provider_names() const {
  std::vector<std::string> names;
  for (const auto& p : providers_) names.push_back(p->name());
  return names;
}

Status Session::CheckFeed(const std::string& name, const Value& value, const ir::Type& expected) const {
  using Kind = ir::Type::Kind;
  if (value.empty()) return InvalidArgument("input '", name, "' has no value");
  if (expected.kind == Kind::kTensor) {
    if (!value.is_tensor()) {
      return InvalidArgument("input '", name, "' expects ", expected.ToString(), " but got ", value.Describe());
    }
    const Tensor& t = value.tensor();
    if (expected.elem_type != DataType::kUndefined && t.type() != expected.elem_type) {
      return InvalidArgument("input '", name, "' expects element type ", DataTypeName(expected.elem_type), " but got ",
                             DataTypeName(t.type()));
    }
    if (t.device().kind != DeviceKind::kCpu) {
      return InvalidArgument("input '", name, "' must be in host memory");
    }
    if (t.type() == DataType::kString) {
      const int64_t limit = runner_->limits().max_string_bytes;
      const auto strings = t.values<std::string>();
      for (size_t i = 0; i < strings.size(); ++i) {
        if (static_cast<int64_t>(strings[i].size()) > limit) {
          return InvalidArgument("input '", name, "': string ", i, " is ", strings[i].size(),
                                 " bytes, over the limit of ", limit, " (session.max_string_bytes)");
        }
      }
    }
    if (expected.shape) {
      const ir::SymShape& want = *expected.shape;
      if (want.size() != t.shape().size()) {
        return InvalidArgument("input '", name, "' expects rank ", want.size(), " ", expected.ShapeString(), " but got rank ",
                               t.rank(), " ", ShapeToString(t.shape()));
      }
      for (size_t i = 0; i < want.size(); ++i) {
        if (want[i].known() && want[i].value != t.shape()[i]) {
          return InvalidArgument("input '", name, "' expects dim ", i, " to be ", want[i].value, " (shape ",
                                 expected.ShapeString(), ") but got ", t.shape()[i], " (shape ", ShapeToString(t.shape()), ")");
        }
      }
    }
    return Status::Ok();
  }
  bool kind_ok = (expected.kind == Kind::kSequence && value.is_sequence()) ||
                 (expected.kind == Kind::kOptional) || (expected.kind == Kind::kMap && value.is_map()) ||
                 expected.kind == Kind::kUnknown;
  if (!kind_ok) return InvalidArgument("input '", name, "' expects ", expected.ToString(), " but got ", value.Describe());
  return Status::Ok();
}

Result<int> Session::IntermediateSlot(const std::string& name) const {
  const ir::Value* v = model_->graph->FindValue(name);
  const int slot = runner_->SlotOf(name);
  if (v != nullptr && slot >= 0 && runner_->SlotIsLocal(slot) &&
      (v->producer() || v->is_graph_input() || v->initializer())) {
    return slot;
  }
  if (optimized_away_.count(name)) {
    const OptimizationLevel level = options_.optimization_level;
    const char* level_name = level == OptimizationLevel::kBasic      ? "basic"
                             : level == OptimizationLevel::kExtended ? "extended"
                                                                     : "all";
    return InvalidArgument("value '", name, "' was optimized away (fused or folded) at optimization level ", level_name,
                           "; create the session with a lower optimization level (e.g. disabled) to fetch it");
  }
  return InvalidArgument("unknown output name '", name,
                         "': not an output nor a value of the main graph (values inside subgraphs cannot be fetched)");
}

namespace {

// A feed's bool tensors with every byte 0 or 1 (framework/tensor.h, CanonicalBools): a caller's buffer may hold any
// byte, and kernels read them as C++ bool. Copies only what needs it.
Value CanonicalFeed(const Value& value) {
  if (value.is_tensor()) {
    if (value.tensor().type() != DataType::kBool) return value;
    return Value(CanonicalBools(value.tensor()));
  }
  if (value.is_sequence() && value.sequence().elem_type == DataType::kBool) {
    Sequence seq = value.sequence();
    for (Value& item : seq.items) item = CanonicalFeed(item);
    return Value::FromSequence(std::move(seq));
  }
  return value;
}

}  // namespace

Status Session::Run(const std::vector<std::pair<std::string, Value>>& feeds,
                    const std::vector<std::string>& output_names, std::vector<Value>* outputs,
                    const RunOptions& run_options) const {
  // model_run covers the feed checks too, as onnxruntime's does.
  Profiler* profiler = profiler_ && profiler_->active() ? profiler_.get() : nullptr;
  const auto begin = profiler ? Clock::now() : Clock::time_point();
  if (outputs == nullptr) return InvalidArgument("outputs must not be null");
  const auto& graph_inputs = model_->graph->inputs();
  std::vector<Value> ordered(graph_inputs.size());
  std::vector<bool> given(graph_inputs.size(), false);
  for (const auto& [name, value] : feeds) {
    size_t i = 0;
    while (i < graph_inputs.size() && graph_inputs[i]->name() != name) ++i;
    if (i == graph_inputs.size()) {
      std::string names;
      for (const auto& in : inputs_) names += (names.empty() ? "" : ", ") + in.name;
      return InvalidArgument("unknown input name '", name, "'; the model's inputs are: ", names);
    }
    if (given[i]) return InvalidArgument("input '", name, "' is fed twice");
    ONYX_RETURN_IF_ERROR(CheckFeed(name, value, graph_inputs[i]->type()));
    ordered[i] = CanonicalFeed(value);
    given[i] = true;
  }
  for (size_t i = 0; i < graph_inputs.size(); ++i) {
    if (!given[i] && !graph_inputs[i]->initializer()) {
      return InvalidArgument("missing input '", graph_inputs[i]->name(), "' (", graph_inputs[i]->type().ToString(), " ",
                             graph_inputs[i]->type().ShapeString(), ")");
    }
  }
  std::vector<int> indices, fetch_slots;
  bool intermediate = false;
  for (const std::string& name : output_names) {
    int found = -1;
    for (size_t j = 0; j < outputs_.size(); ++j) {
      if (outputs_[j].name == name) found = static_cast<int>(j);
    }
    if (found >= 0) {
      indices.push_back(found);
      fetch_slots.push_back(runner_->OutputSlot(static_cast<size_t>(found)));
      continue;
    }
    ONYX_ASSIGN_OR_RETURN(int slot, IntermediateSlot(name));
    fetch_slots.push_back(slot);
    intermediate = true;
  }
  if (!intermediate) fetch_slots.clear();
  if (profiler == nullptr) {
    RunContext run(run_options.terminate, runner_->buffer_cache());
    run.set_max_tensor_bytes(runner_->limits().max_tensor_bytes);
    run.set_max_string_bytes(runner_->limits().max_string_bytes);
    return runner_->Run(ordered, nullptr, run, outputs, indices, fetch_slots);
  }
  RunContext run(run_options.terminate, runner_->buffer_cache(), profiler);
  run.set_max_tensor_bytes(runner_->limits().max_tensor_bytes);
  run.set_max_string_bytes(runner_->limits().max_string_bytes);
  Status st = runner_->Run(ordered, nullptr, run, outputs, indices, fetch_slots);
  profiler->RecordSpan("model_run", begin, st.ok() ? std::string() : std::string("\"failed\":true"));
  return st;
}

}  // namespace onyx
