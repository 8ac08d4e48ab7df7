// The profiled path of GraphRunner::ExecuteStep: times the kernel and records one node event with what it read
// and wrote. Only sessions made with profiling come here; the rest never build these strings.
#include <string>

#include "common/profiler.h"
#include "framework/graph_runner.h"

namespace onyx {

namespace {

// One entry of onnxruntime's input_type_shape / output_type_shape lists: {"float":[1,3,224,224]}.
void AppendTypeShape(std::string* out, const Value& v) {
  if (v.is_tensor()) {
    out->push_back('{');
    Profiler::AppendJsonString(out, DataTypeName(v.tensor().type()));
    out->append(":[");
    const Shape& shape = v.tensor().shape();
    for (size_t i = 0; i < shape.size(); ++i) {
      if (i > 0) out->push_back(',');
      out->append(std::to_string(shape[i]));
    }
    out->append("]}");
  } else if (v.is_sequence()) {
    // Containers give their length where a tensor gives its dims.
    const Sequence& s = v.sequence();
    out->append("{");
    Profiler::AppendJsonString(out, std::string("seq(") + DataTypeName(s.elem_type) + ")");
    out->append(":[" + std::to_string(s.items.size()) + "]}");
  } else if (v.is_optional()) {
    if (v.has_element()) {
      AppendTypeShape(out, v.optional_element());
    } else {
      out->append("{\"optional\":[]}");
    }
  } else if (v.is_map()) {
    out->append("{\"map\":[" + std::to_string(v.map().values.size()) + "]}");
  } else {
    out->append("{\"none\":[]}");
  }
}

// Values that were absent (omitted optional inputs) are left out, as onnxruntime does.
template <typename Get>
void AppendTypeShapes(std::string* out, const char* key, size_t n, Get get) {
  out->append(",\"");
  out->append(key);
  out->append("\":[");
  bool first = true;
  for (size_t i = 0; i < n; ++i) {
    const Value* v = get(i);
    if (v == nullptr || v->empty()) continue;
    if (!first) out->push_back(',');
    first = false;
    AppendTypeShape(out, *v);
  }
  out->push_back(']');
}

}  // namespace

Status GraphRunner::ExecuteStepProfiled(const Step& step, std::vector<Value>& slots, RunContext& run,
                                        ExecutionFrame& frame) const {
  Profiler& profiler = *run.profiler();
  const auto begin = Profiler::Clock::now();
  Status st = ExecuteKernel(step, slots, run, frame);
  const auto end = Profiler::Clock::now();
  if (!st.ok() || !profiler.active()) return st;

  const ir::Node& node = *step.node;
  const size_t index = static_cast<size_t>(&step - steps_.data());
  ProfileEvent e;
  e.category = ProfileEvent::Category::kNode;
  e.name = (node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name()) + "_kernel_time";
  e.op_type = node.op_type();
  e.start_ns = profiler.NsSinceStart(begin);
  e.duration_ns = profiler.NsSinceStart(end) - e.start_ns;
  e.tid = Profiler::ThreadId();
  e.depth = depth_;

  std::string& a = e.args;
  a.reserve(256);
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
  // Inputs are still in their slots (they are freed after the step) and outputs have just been stored.
  AppendTypeShapes(&a, "input_type_shape", step.inputs.size(), [&](size_t i) -> const Value* {
    return step.inputs[i] >= 0 ? &slots[static_cast<size_t>(step.inputs[i])] : nullptr;
  });
  int64_t output_bytes = 0;
  AppendTypeShapes(&a, "output_type_shape", step.outputs.size(), [&](size_t i) -> const Value* {
    if (step.outputs[i] < 0) return nullptr;
    const Value& v = slots[static_cast<size_t>(step.outputs[i])];
    if (v.is_tensor()) output_bytes += v.tensor().bytes();
    return &v;
  });
  a.append(",\"output_size\":" + std::to_string(output_bytes));
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
  profiler.Record(std::move(e));
  return st;
}

}  // namespace onyx
