// The kernel interface. A kernel is made once per node when the session is built (Init reads and checks
// attributes), and Compute runs on every Run, possibly from several threads at once: Compute is const and
// keeps no state between calls.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "framework/value.h"
#include "ir/graph.h"

namespace onyx {

class ThreadPool;
class GraphRunner;
class RunContext;
class ExecutionFrame;

// What a kernel may read while it is being made: the node's attributes, its inputs' static types and
// constant values, and its subgraphs' runners.
class KernelInfo {
 public:
  KernelInfo(const ir::Node& node, std::vector<const GraphRunner*> subgraph_runners,
             std::vector<std::string> subgraph_names)
      : node_(node), subgraph_runners_(std::move(subgraph_runners)), subgraph_names_(std::move(subgraph_names)) {}

  const ir::Node& node() const { return node_; }
  const std::string& op_type() const { return node_.op_type(); }
  int64_t opset() const { return node_.opset(); }
  size_t input_count() const { return node_.inputs().size(); }
  size_t output_count() const { return node_.outputs().size(); }
  bool has_input(size_t i) const { return node_.input(i) != nullptr; }
  // The static type of input i, when known.
  const ir::Type* input_type(size_t i) const { return node_.input(i) ? &node_.input(i)->type() : nullptr; }
  // A constant input (initializer), or null.
  const Tensor* constant_input(size_t i) const;
  // The graph the node is in: with it, an input read from an enclosing graph (If/Loop/Scan bodies) that is a
  // constant there counts as a constant input too.
  void set_graph(const ir::Graph* graph) { graph_ = graph; }

  bool has_attr(const std::string& name) const { return node_.attribute(name) != nullptr; }
  // Typed attribute readers: a missing attribute gives the default; one of another type is an error that
  // names the node and the attribute.
  Status GetInt(const std::string& name, int64_t* out, std::optional<int64_t> def = std::nullopt) const;
  Status GetFloat(const std::string& name, float* out, std::optional<float> def = std::nullopt) const;
  Status GetString(const std::string& name, std::string* out, std::optional<std::string> def = std::nullopt) const;
  Status GetInts(const std::string& name, std::vector<int64_t>* out,
                 std::optional<std::vector<int64_t>> def = std::nullopt) const;
  Status GetFloats(const std::string& name, std::vector<float>* out,
                   std::optional<std::vector<float>> def = std::nullopt) const;
  Status GetStrings(const std::string& name, std::vector<std::string>* out,
                    std::optional<std::vector<std::string>> def = std::nullopt) const;
  Status GetTensor(const std::string& name, Tensor* out) const;
  // The runner of a subgraph attribute (If's then_branch, Loop's body, ...), or null.
  const GraphRunner* subgraph(const std::string& attr_name) const;

  // An InvalidArgument error prefixed with the node's description.
  template <typename... Args>
  Status Error(const Args&... args) const {
    return InvalidArgument(node_.Describe(), ": ", args...);
  }

 private:
  const ir::Node& node_;
  const ir::Graph* graph_ = nullptr;
  std::vector<const GraphRunner*> subgraph_runners_;
  std::vector<std::string> subgraph_names_;
};

// What a kernel sees while it runs: its inputs, a way to make its outputs, the thread pool.
class KernelContext {
 public:
  KernelContext(const ir::Node& node, std::span<const Value* const> inputs, std::span<Value> outputs,
                Allocator* allocator, ThreadPool* pool, RunContext* run, const ExecutionFrame* frame)
      : node_(node), inputs_(inputs), outputs_(outputs), allocator_(allocator), pool_(pool), run_(run), frame_(frame) {}

  const ir::Node& node() const { return node_; }
  size_t input_count() const { return inputs_.size(); }
  size_t output_count() const { return outputs_.size(); }
  // Input i, or null when the optional input is omitted.
  const Value* input_value(size_t i) const { return i < inputs_.size() ? inputs_[i] : nullptr; }
  // Input i as a tensor, or null when omitted (or not a tensor).
  const Tensor* input(size_t i) const {
    const Value* v = input_value(i);
    return v && v->is_tensor() ? &v->tensor() : nullptr;
  }
  // True when output i exists in the graph (an omitted optional output need not be produced).
  bool output_requested(size_t i) const { return i < outputs_.size() && node_.output(i) != nullptr; }

  // Allocates output i with the given type and shape (memory comes from the run's buffer pool), zero-filled.
  Result<Tensor*> Output(size_t i, DataType type, const Shape& shape);
  // The same without the zero fill, for kernels that write every element (recycled buffers hold old data).
  Result<Tensor*> OutputForOverwrite(size_t i, DataType type, const Shape& shape);
  // Output i as produced so far (for kernels that wrap another kernel and post-process its result).
  Tensor* output_tensor(size_t i) {
    return i < outputs_.size() && outputs_[i].is_tensor() ? &outputs_[i].tensor() : nullptr;
  }
  // Sets output i to a value made by the kernel (a view of an input, a sequence, an optional).
  Status SetOutput(size_t i, Value value);
  // Allocates a scratch or output tensor not tied to an output slot.
  Result<Tensor> Allocate(DataType type, const Shape& shape, bool zero = true);
  // For kernels that make strings longer than their inputs' (StringConcat): an error naming the limit when one
  // string would have more than the run's session.max_string_bytes, or all of an output's characters together
  // more than its session.max_tensor_bytes. Call before building the strings.
  Status CheckStringBytes(int64_t longest, int64_t total) const;

  ThreadPool* thread_pool() const { return pool_; }
  RunContext* run_context() const { return run_; }

  // Runs a subgraph (If/Loop/Scan bodies) with `inputs` in the subgraph's input order; it sees this node's
  // graph as its outer scope. Outputs come back in the subgraph's output order.
  Status RunSubgraph(const GraphRunner& subgraph, std::span<const Value> inputs, std::vector<Value>* outputs);

  template <typename... Args>
  Status Error(const Args&... args) const {
    return InvalidArgument(node_.Describe(), ": ", args...);
  }

 private:
  const ir::Node& node_;
  std::span<const Value* const> inputs_;
  std::span<Value> outputs_;
  Allocator* allocator_;
  ThreadPool* pool_;
  RunContext* run_;
  const ExecutionFrame* frame_;
};

class OpKernel {
 public:
  virtual ~OpKernel() = default;
  // Reads and checks attributes; the default accepts any.
  virtual Status Init(const KernelInfo& info) {
    (void)info;
    return Status::Ok();
  }
  virtual Status Compute(KernelContext& ctx) const = 0;
};

}  // namespace onyx
