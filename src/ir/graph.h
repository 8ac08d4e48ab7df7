// The in-memory graph: Graph owns its Nodes and Values; Nodes point at Values; subgraphs (If/Loop/Scan
// bodies) are Graphs held by attributes, with a parent pointer through which they see outer-scope values.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "framework/tensor.h"
#include "ir/type.h"

namespace onyx::ir {

class Graph;
class Node;

enum class AttrType : int {
  kUndefined = 0, kFloat = 1, kInt = 2, kString = 3, kTensor = 4, kGraph = 5, kFloats = 6, kInts = 7,
  kStrings = 8, kTensors = 9, kGraphs = 10, kSparseTensor = 11, kSparseTensors = 12, kTypeProto = 13,
  kTypeProtos = 14,
};
const char* AttrTypeName(AttrType t);

struct Attribute {
  std::string name;
  AttrType type = AttrType::kUndefined;
  float f = 0;
  int64_t i = 0;
  std::string s;
  Tensor t;
  std::shared_ptr<Graph> g;
  std::vector<float> floats;
  std::vector<int64_t> ints;
  std::vector<std::string> strings;
  std::vector<Tensor> tensors;
  std::vector<std::shared_ptr<Graph>> graphs;
  std::vector<Type> type_protos;  // TYPE_PROTO(S): kept as parsed types
};

class Value {
 public:
  explicit Value(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }
  Type& type() { return type_; }
  const Type& type() const { return type_; }
  void set_type(Type t) { type_ = std::move(t); }

  Node* producer() const { return producer_; }
  const std::vector<Node*>& consumers() const { return consumers_; }
  // A constant: an initializer of this graph (not a graph input), or a folded value.
  const Tensor* initializer() const { return initializer_ ? &*initializer_ : nullptr; }
  bool is_graph_input() const { return is_graph_input_; }
  bool is_graph_output() const { return is_graph_output_; }
  // Defined in an enclosing graph and read here (If/Loop/Scan bodies).
  bool is_outer_scope() const { return is_outer_scope_; }

 private:
  friend class Graph;
  friend class Node;
  std::string name_;
  Type type_;
  Node* producer_ = nullptr;
  std::vector<Node*> consumers_;
  std::optional<Tensor> initializer_;
  bool is_graph_input_ = false;
  bool is_graph_output_ = false;
  bool is_outer_scope_ = false;
};

class Node {
 public:
  const std::string& name() const { return name_; }
  const std::string& op_type() const { return op_type_; }
  const std::string& domain() const { return domain_; }
  // The opset version imported for this node's domain by the model (what kernels are matched against).
  int64_t opset() const { return opset_; }
  // "'name' (Domain:Op)", used as the prefix of every error about this node.
  std::string Describe() const;

  // Inputs in order; an omitted optional input is nullptr.
  const std::vector<Value*>& inputs() const { return inputs_; }
  const std::vector<Value*>& outputs() const { return outputs_; }
  // Outer-scope values read by this node's subgraphs (at any depth): they must live until it runs.
  const std::vector<Value*>& implicit_inputs() const { return implicit_inputs_; }
  Value* input(size_t i) const { return i < inputs_.size() ? inputs_[i] : nullptr; }
  Value* output(size_t i) const { return i < outputs_.size() ? outputs_[i] : nullptr; }

  const std::map<std::string, Attribute>& attributes() const { return attributes_; }
  const Attribute* attribute(const std::string& name) const;
  std::vector<std::shared_ptr<Graph>> subgraphs() const;

  // Index of the execution provider this node is assigned to (set by the partitioner).
  int provider = -1;
  const std::string& doc_string() const { return doc_string_; }

 private:
  friend class Graph;
  std::string name_, op_type_, domain_, doc_string_;
  int64_t opset_ = 0;
  std::vector<Value*> inputs_, outputs_, implicit_inputs_;
  std::map<std::string, Attribute> attributes_;
};

// Model-wide facts a graph needs: the imported opsets.
using OpsetMap = std::map<std::string, int64_t>;

class Graph {
 public:
  explicit Graph(Graph* parent = nullptr) : parent_(parent) {}
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  const std::string& name() const { return name_; }
  void set_name(std::string n) { name_ = std::move(n); }
  std::string doc_string;
  Graph* parent() const { return parent_; }
  const OpsetMap& opsets() const { return *opsets_; }
  void set_opsets(std::shared_ptr<const OpsetMap> o) { opsets_ = std::move(o); }
  std::shared_ptr<const OpsetMap> shared_opsets() const { return opsets_; }

  // Values: created on first mention. Lookup looks only at this graph.
  Value* GetOrCreateValue(const std::string& name);
  Value* FindValue(const std::string& name) const;
  // Looks here, then in enclosing graphs.
  Value* FindValueInScope(const std::string& name) const;

  Status AddInput(const std::string& name, Type type);
  Status AddOutput(const std::string& name, Type type);
  Status AddInitializer(const std::string& name, Tensor tensor);
  Node* AddNode(std::string name, std::string op_type, std::string domain, int64_t opset,
                const std::vector<std::string>& inputs, const std::vector<std::string>& outputs,
                std::map<std::string, Attribute> attributes, std::string doc_string = {});
  // Removes a node and detaches it from its values (which stay, possibly unused).
  void RemoveNode(Node* node);
  // Sets input `index` of node (growing its input list when needed).
  void ReplaceInput(Node* node, size_t index, Value* value);
  // A new constant value named after `base`.
  Result<Value*> AddConstant(const std::string& base, Tensor t);
  // Makes `node` write `to` instead of `from`; `from` is left without a producer.
  void RenameOutput(Node* node, Value* from, Value* to);
  // Points every reader of `from` at `to`. Refused (false, nothing changed) when `from` is a graph output or is
  // read by a subgraph by name, since those uses cannot be redirected.
  bool ReplaceAllUses(Value* from, Value* to);
  // Makes a graph input that has an initializer a plain constant (no longer fed from outside).
  void DemoteInputToConstant(Value* v);
  // Drops a constant that nothing reads any more.
  void RemoveInitializer(Value* v);
  // Turns a value into a constant (a folded result); it must have no producer.
  Status MakeConstant(Value* v, Tensor t);
  // Removes values that no node, input, output or initializer mentions.
  void PruneValues();
  // Marks a value as read from an enclosing graph.
  void MarkOuterScope(Value* v) { v->is_outer_scope_ = true; }
  void SetInitializer(Value* v, Tensor t) { v->initializer_ = std::move(t); }
  void AddImplicitInput(Node* node, Value* v);

  const std::vector<Value*>& inputs() const { return inputs_; }
  const std::vector<Value*>& outputs() const { return outputs_; }
  // Initializers in file order.
  const std::vector<Value*>& initializers() const { return initializer_order_; }
  const std::vector<std::unique_ptr<Node>>& nodes() const { return nodes_; }
  const std::unordered_map<std::string, std::unique_ptr<Value>>& values() const { return values_; }

  // Nodes in an order where each comes after the producers of its inputs; fails naming a node on a cycle.
  Result<std::vector<Node*>> TopologicalOrder() const;

  // A fresh value name that does not clash with any in this graph.
  std::string UniqueName(const std::string& base);

 private:
  Graph* parent_;
  std::string name_;
  std::shared_ptr<const OpsetMap> opsets_ = std::make_shared<OpsetMap>();
  std::vector<std::unique_ptr<Node>> nodes_;
  std::unordered_map<std::string, std::unique_ptr<Value>> values_;
  std::vector<Value*> inputs_, outputs_, initializer_order_;
  int64_t unique_counter_ = 0;
};

}  // namespace onyx::ir
