// The profiled path of GraphRunner::ExecuteStep: times the kernel and records one node event with the shapes it
// read and wrote. Only sessions made with profiling come here. The JSON of an event is written when the trace is:
// here the event gets its times, a pointer to what all events of the node share, and its shapes packed in one array.
#include <string>

#include "common/profiler.h"
#include "framework/graph_runner.h"

namespace onyx {

namespace {

// One entry of onnxruntime's input_type_shape / output_type_shape lists: {"float":[1,3,224,224]}. Containers give
// their length where a tensor gives its dims.
void AddShape(ProfileShapes& shapes, const Value& v, bool is_input) {
  if (v.is_tensor()) {
    const Shape& dims = v.tensor().shape();
    shapes.Add(DataTypeName(v.tensor().type()), dims.data(), dims.size(), is_input);
    return;
  }
  if (v.is_optional() && v.has_element()) {
    AddShape(shapes, v.optional_element(), is_input);
    return;
  }
  int64_t length = 0;
  const char* kind = "none";
  if (v.is_sequence()) {
    kind = "seq";
    length = static_cast<int64_t>(v.sequence().items.size());
  } else if (v.is_map()) {
    kind = "map";
    length = static_cast<int64_t>(v.map().values.size());
  } else if (v.is_optional()) {
    kind = "optional";
  }
  shapes.Add(kind, &length, v.is_optional() ? 0 : 1, is_input);
}

}  // namespace

std::shared_ptr<const ProfileNodeInfo> GraphRunner::MakeProfileInfo(const Step& step, size_t index) const {
  const ir::Node& node = *step.node;
  auto info = std::make_shared<ProfileNodeInfo>();
  info->name = (node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name()) + "_kernel_time";
  info->op_type = node.op_type();
  info->depth = depth_;
  std::string& a = info->args;
  a.append("\"op_name\":");
  Profiler::AppendJsonString(&a, node.op_type());
  if (!node.domain().empty()) {
    a.append(",\"domain\":");
    Profiler::AppendJsonString(&a, node.domain());
  }
  a.append(",\"provider\":");
  Profiler::AppendJsonString(&a, step.provider + "ExecutionProvider");
  a.append(",\"node_index\":" + std::to_string(index));
  a.append(",\"thread_count\":" + std::to_string(pool_ != nullptr ? pool_->threads() : 1));
  a.append(",\"graph\":");
  Profiler::AppendJsonString(&a, graph_.name());
  if (owner_ != nullptr) {
    a.append(",\"subgraph\":true,\"parent_node\":");
    Profiler::AppendJsonString(&a, owner_->name());
    a.append(",\"parent_op\":");
    Profiler::AppendJsonString(&a, owner_->op_type());
    a.append(",\"parent_attribute\":");
    Profiler::AppendJsonString(&a, owner_attribute_);
    a.append(",\"depth\":" + std::to_string(depth_));
  }
  return info;
}

Status GraphRunner::ExecuteStepProfiled(const Step& step, std::vector<Value>& slots, RunContext& run,
                                        ExecutionFrame& frame) const {
  if (!step.profile) return ExecuteKernel(step, slots, run, frame);
  Profiler& profiler = *run.profiler();
  const auto begin = Profiler::Clock::now();
  Status st = ExecuteKernel(step, slots, run, frame);
  const auto end = Profiler::Clock::now();
  if (!st.ok() || !profiler.active()) return st;

  ProfileEvent e;
  e.category = ProfileEvent::Category::kNode;
  e.node = step.profile;
  e.start_ns = profiler.NsSinceStart(begin);
  e.duration_ns = profiler.NsSinceStart(end) - e.start_ns;
  e.tid = Profiler::ThreadId();
  // Inputs are still in their slots (they are freed after the step) and outputs have just been stored. Absent
  // values (omitted optional inputs) are left out, as onnxruntime does.
  e.shapes.Reserve(1 + 6 * (step.inputs.size() + step.outputs.size()));
  for (int s : step.inputs) {
    if (s < 0) continue;
    const Value& v = SlotValue(slots, s);  // initializers are read in place, not copied into their slots
    if (!v.empty()) AddShape(e.shapes, v, true);
  }
  for (int s : step.outputs) {
    if (s < 0 || slots[static_cast<size_t>(s)].empty()) continue;
    const Value& v = slots[static_cast<size_t>(s)];
    AddShape(e.shapes, v, false);
    if (v.is_tensor()) e.output_bytes += v.tensor().bytes();
  }
  profiler.Record(std::move(e));
  return st;
}

}  // namespace onyx
