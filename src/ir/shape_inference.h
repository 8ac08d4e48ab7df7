// Static type and shape inference. Each operator registers an inference function (usually in its kernel's
// file, with ONYX_REGISTER_SHAPE_INFERENCE); InferShapes walks a graph in topological order so that output
// types and shapes are known before running wherever the inputs' are.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "ir/graph.h"

namespace onyx::ir {

class InferenceContext {
 public:
  explicit InferenceContext(Node& node) : node_(node) {}
  const Node& node() const { return node_; }
  size_t input_count() const { return node_.inputs().size(); }
  size_t output_count() const { return node_.outputs().size(); }
  bool has_input(size_t i) const { return node_.input(i) != nullptr; }
  // Static type of input i, or null when the input is omitted.
  const Type* input_type(size_t i) const { return node_.input(i) ? &node_.input(i)->type() : nullptr; }
  // Element type of input i when it is a tensor of known type; kUndefined otherwise.
  DataType input_elem_type(size_t i) const;
  // The input's shape when its rank is known.
  const SymShape* input_shape(size_t i) const;
  // The input's value when it is a constant (initializer); null otherwise.
  const Tensor* input_constant(size_t i) const { return node_.input(i) ? node_.input(i)->initializer() : nullptr; }

  const Attribute* attr(const std::string& name) const { return node_.attribute(name); }
  int64_t attr_int(const std::string& name, int64_t def) const;
  float attr_float(const std::string& name, float def) const;
  std::vector<int64_t> attr_ints(const std::string& name) const;
  std::string attr_string(const std::string& name, const std::string& def) const;

  // Sets output i's type; a shape of nullopt means the rank is unknown.
  void SetOutput(size_t i, DataType type, std::optional<SymShape> shape);
  void SetOutputType(size_t i, Type type);
  void CopyInputToOutput(size_t in, size_t out);

  template <typename... Args>
  Status Error(const Args&... args) const {
    return InvalidGraph(node_.Describe(), ": ", args...);
  }

 private:
  Node& node_;
};

using InferenceFn = std::function<Status(InferenceContext&)>;

bool RegisterShapeInference(const std::string& domain, const std::string& op_type, InferenceFn fn);
const InferenceFn* FindShapeInference(const std::string& domain, const std::string& op_type);

// Infers types for every node of the graph and its subgraphs. An inconsistency that proves the model
// invalid (a rank mismatch in a known shape) is an error naming the node; an operator without an
// inference function leaves its outputs as they were declared.
Status InferShapes(Graph& graph);

// Helpers many operators share.
// Numpy-style broadcasting of known shapes; fails naming both shapes when they are incompatible.
Result<SymShape> BroadcastShapes(const SymShape& a, const SymShape& b);
// Element-wise: output 0 has input 0's element type and the broadcast of all inputs' shapes.
Status InferElementwise(InferenceContext& ctx);
// Output 0 is exactly input 0 (type and shape).
Status InferSameAsInput(InferenceContext& ctx);

}  // namespace onyx::ir

#define ONYX_REGISTER_SHAPE_INFERENCE(domain, op_type, fn)                                           \
  static const bool ONYX_CONCAT(onyx_shape_inference_registered_, __COUNTER__) [[maybe_unused]] = \
      ::onyx::ir::RegisterShapeInference(domain, op_type, fn)
