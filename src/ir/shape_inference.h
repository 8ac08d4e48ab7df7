// Static type and shape inference. Each operator registers an inference function (usually in its kernel's
// file, with ONYX_REGISTER_SHAPE_INFERENCE); InferShapes walks a graph in topological order so that output
// types and shapes are known before running wherever the inputs' are.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "ir/graph.h"

namespace onyx::ir {

// One element of a small integer tensor's statically known value (shape_values.cc): a known integer of any
// sign, a symbol (a dim param, or a product of dim params and a positive integer written "12*batch*seq";
// never negative), or unknown.
struct SymInt {
  enum class Kind : uint8_t { kUnknown, kKnown, kSymbol };
  Kind kind = Kind::kUnknown;
  int64_t value = 0;  // kKnown
  std::string param;  // kSymbol

  static SymInt Known(int64_t v) { return SymInt{Kind::kKnown, v, {}}; }
  static SymInt Symbol(std::string p) { return SymInt{Kind::kSymbol, 0, std::move(p)}; }
  static SymInt Unknown() { return SymInt{}; }
  // A dim as a value: its size, its param, or unknown.
  static SymInt FromDim(const Dim& d);
  bool known() const { return kind == Kind::kKnown; }
  bool symbolic() const { return kind == Kind::kSymbol; }
  // As a dim: a known size (>= 0) or a symbol; a negative or unknown element is an unknown dim.
  Dim ToDim() const;
  bool operator==(const SymInt&) const = default;
};

// The statically known value of a 0-D (scalar) or 1-D int32/int64 tensor, element by element: what shape
// arithmetic (Shape, Gather, Concat, ...) computes, so that a Reshape fed by it gets its output dims.
struct ShapeValue {
  bool scalar = false;
  std::vector<SymInt> elems;
  bool fully_known() const;
};

// Symbolic arithmetic on value elements. A product of known sizes and symbols stays exact (canonically named,
// so equal products get equal names); a sum or difference only when it is plain integers (or adds 0).
SymInt SymMul(const SymInt& a, const SymInt& b);
// The exact quotient (a product divided by a sub-product, or integers divided with truncation); unknown when
// the division is not exact or the divisor may be 0.
SymInt SymDiv(const SymInt& a, const SymInt& b);
SymInt SymAdd(const SymInt& a, const SymInt& b);
SymInt SymSub(const SymInt& a, const SymInt& b);
// The product of a shape's dims (the element count), unknown when a dim is.
SymInt SymProduct(const SymShape& shape);
// Whether `s` being 0 at run time implies that `d` is 0 too (every factor of s divides d). Reshape copies the
// input's dim where the requested dim is 0, so a symbolic requested dim is only certain when this holds.
bool ZeroImplies(const SymInt& s, const Dim& d);

// What one InferShapes run learns beside the types: values of shape tensors, by graph value (internal).
struct InferenceState;

// How InferShapes treats the types values already have.
struct InferOptions {
  // Inference over a graph the optimizer has rewritten: the types there were inferred (or set by the passes)
  // already, so an inferred type only fills what is unknown; it never changes an element type, a rank or a
  // known dim (a gap in an inference function must not undo what a pass established).
  bool refine_only = false;
  // When set, receives the value of every shape tensor inference followed: for a pass that turns a computed
  // shape into a constant (a Reshape target [batch, seq, 12, 64] read from x [batch, seq, 768] is [0, 0, 12, 64]).
  std::unordered_map<const Value*, ShapeValue>* values = nullptr;
};

class InferenceContext {
 public:
  explicit InferenceContext(Node& node, InferenceState* state = nullptr) : node_(node), state_(state) {}
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
  // The input's value when it is a constant: an initializer, a Constant node's value, or shape arithmetic whose
  // every element inference worked out (e.g. Shape of a static shape, or Concat of constants); null otherwise.
  const Tensor* input_constant(size_t i) const;
  // The input's value, possibly symbolic, when it is a scalar or 1-D int32/int64 tensor that inference
  // followed (shape arithmetic) or a constant (as input_constant counts them); nullopt otherwise.
  std::optional<ShapeValue> input_value(size_t i) const;
  // input_value of a 1-D input read as a shape: each element a known dim, a symbol, or unknown (negative).
  std::optional<SymShape> input_shape_value(size_t i) const;

  const Attribute* attr(const std::string& name) const { return node_.attribute(name); }
  int64_t attr_int(const std::string& name, int64_t def) const;
  float attr_float(const std::string& name, float def) const;
  std::vector<int64_t> attr_ints(const std::string& name) const;
  std::string attr_string(const std::string& name, const std::string& def) const;

  // Sets output i's type; a shape of nullopt means the rank is unknown.
  void SetOutput(size_t i, DataType type, std::optional<SymShape> shape);
  void SetOutputType(size_t i, Type type);
  void CopyInputToOutput(size_t in, size_t out);
  // Records output i's value (kept only when the output is a scalar or 1-D int32/int64 tensor, or its type
  // is not known yet); a fully known value also becomes the output's input_constant for its readers.
  void SetOutputValue(size_t i, ShapeValue value);
  // Records output i's constant value (a Constant node), whatever its type.
  void SetOutputConstant(size_t i, Tensor value);

  template <typename... Args>
  Status Error(const Args&... args) const {
    return InvalidGraph(node_.Describe(), ": ", args...);
  }

 private:
  Node& node_;
  InferenceState* state_;
};

using InferenceFn = std::function<Status(InferenceContext&)>;

bool RegisterShapeInference(const std::string& domain, const std::string& op_type, InferenceFn fn);
const InferenceFn* FindShapeInference(const std::string& domain, const std::string& op_type);

// Infers types for every node of the graph and its subgraphs, following the values of shape tensors
// (shape_values.cc) so that shapes computed at run time from Shape(x) get x's symbolic dims. An inconsistency
// that proves the model invalid (a rank mismatch in a known shape) is logged naming the node; an operator
// without an inference function leaves its outputs as they were declared. Fails only on a cycle.
Status InferShapes(Graph& graph, const InferOptions& options = {});

// Computes the value of output 0 of a shape-arithmetic node (Shape, Size, Gather, Concat, Slice, Unsqueeze,
// Squeeze, Cast, Identity, Reshape, Add/Sub/Mul/Div, Constant, ConstantOfShape) from its inputs' values; run by
// InferShapes after the node's inference function. Leaves the value unset where it is not certain.
void PropagateShapeValue(InferenceContext& ctx);

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
