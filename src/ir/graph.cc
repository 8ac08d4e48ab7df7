#include "ir/graph.h"

#include <algorithm>
#include <queue>
#include <unordered_map>

namespace onyx::ir {

const char* AttrTypeName(AttrType t) {
  switch (t) {
    case AttrType::kUndefined: return "UNDEFINED";
    case AttrType::kFloat: return "FLOAT";
    case AttrType::kInt: return "INT";
    case AttrType::kString: return "STRING";
    case AttrType::kTensor: return "TENSOR";
    case AttrType::kGraph: return "GRAPH";
    case AttrType::kFloats: return "FLOATS";
    case AttrType::kInts: return "INTS";
    case AttrType::kStrings: return "STRINGS";
    case AttrType::kTensors: return "TENSORS";
    case AttrType::kGraphs: return "GRAPHS";
    case AttrType::kSparseTensor: return "SPARSE_TENSOR";
    case AttrType::kSparseTensors: return "SPARSE_TENSORS";
    case AttrType::kTypeProto: return "TYPE_PROTO";
    case AttrType::kTypeProtos: return "TYPE_PROTOS";
  }
  return "?";
}

std::string Node::Describe() const {
  std::string op = domain_.empty() ? op_type_ : domain_ + ":" + op_type_;
  return "node '" + name_ + "' (" + op + ")";
}

const Attribute* Node::attribute(const std::string& name) const {
  auto it = attributes_.find(name);
  return it == attributes_.end() ? nullptr : &it->second;
}

std::vector<std::shared_ptr<Graph>> Node::subgraphs() const {
  std::vector<std::shared_ptr<Graph>> out;
  for (const auto& [name, a] : attributes_) {
    if (a.g) out.push_back(a.g);
    for (const auto& g : a.graphs) out.push_back(g);
  }
  return out;
}

Value* Graph::GetOrCreateValue(const std::string& name) {
  auto it = values_.find(name);
  if (it != values_.end()) return it->second.get();
  auto v = std::make_unique<Value>(name);
  Value* raw = v.get();
  values_.emplace(name, std::move(v));
  return raw;
}

Value* Graph::FindValue(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? nullptr : it->second.get();
}

Value* Graph::FindValueInScope(const std::string& name) const {
  for (const Graph* g = this; g != nullptr; g = g->parent_) {
    if (Value* v = g->FindValue(name)) return v;
  }
  return nullptr;
}

Status Graph::AddInput(const std::string& name, Type type) {
  Value* v = GetOrCreateValue(name);
  if (v->is_graph_input_) return InvalidGraph("graph '", name_, "' declares input '", name, "' twice");
  v->is_graph_input_ = true;
  v->type_ = std::move(type);
  inputs_.push_back(v);
  return Status::Ok();
}

Status Graph::AddOutput(const std::string& name, Type type) {
  Value* v = GetOrCreateValue(name);
  v->is_graph_output_ = true;
  if (type.kind != Type::Kind::kUnknown) v->type_ = std::move(type);
  outputs_.push_back(v);
  return Status::Ok();
}

Status Graph::AddInitializer(const std::string& name, Tensor tensor) {
  Value* v = GetOrCreateValue(name);
  if (v->initializer_) return InvalidGraph("graph '", name_, "' has two initializers named '", name, "'");
  if (v->type_.kind == Type::Kind::kUnknown) v->type_ = Type::Tensor(tensor.type(), ToSymShape(tensor.shape()));
  v->initializer_ = std::move(tensor);
  initializer_order_.push_back(v);
  return Status::Ok();
}

Node* Graph::AddNode(std::string name, std::string op_type, std::string domain, int64_t opset,
                     const std::vector<std::string>& inputs, const std::vector<std::string>& outputs,
                     std::map<std::string, Attribute> attributes, std::string doc_string) {
  auto node = std::make_unique<Node>();
  Node* n = node.get();
  n->name_ = std::move(name);
  n->op_type_ = std::move(op_type);
  n->domain_ = std::move(domain);
  n->opset_ = opset;
  n->attributes_ = std::move(attributes);
  n->doc_string_ = std::move(doc_string);
  for (const std::string& in : inputs) {
    if (in.empty()) {
      n->inputs_.push_back(nullptr);
      continue;
    }
    Value* v = GetOrCreateValue(in);
    v->consumers_.push_back(n);
    n->inputs_.push_back(v);
  }
  for (const std::string& out : outputs) {
    if (out.empty()) {
      n->outputs_.push_back(nullptr);
      continue;
    }
    Value* v = GetOrCreateValue(out);
    if (v->producer_ == nullptr) v->producer_ = n;
    n->outputs_.push_back(v);
  }
  nodes_.push_back(std::move(node));
  return n;
}

void Graph::RemoveNode(Node* node) {
  for (Value* v : node->inputs_) {
    if (!v) continue;
    auto& c = v->consumers_;
    c.erase(std::remove(c.begin(), c.end(), node), c.end());
  }
  for (Value* v : node->implicit_inputs_) {
    auto& c = v->consumers_;
    c.erase(std::remove(c.begin(), c.end(), node), c.end());
  }
  for (Value* v : node->outputs_) {
    if (v && v->producer_ == node) v->producer_ = nullptr;
  }
  nodes_.erase(std::remove_if(nodes_.begin(), nodes_.end(), [&](const auto& p) { return p.get() == node; }),
               nodes_.end());
}

void Graph::ReplaceInput(Node* node, size_t index, Value* value) {
  if (index >= node->inputs_.size()) node->inputs_.resize(index + 1, nullptr);
  Value* old = node->inputs_[index];
  if (old) {
    auto& c = old->consumers_;
    auto it = std::find(c.begin(), c.end(), node);
    if (it != c.end()) c.erase(it);
  }
  node->inputs_[index] = value;
  if (value) value->consumers_.push_back(node);
}

void Graph::RenameOutput(Node* node, Value* from, Value* to) {
  for (auto& out : node->outputs_) {
    if (out == from) out = to;
  }
  if (from->producer_ == node) from->producer_ = nullptr;
  to->producer_ = node;
}

bool Graph::ReplaceAllUses(Value* from, Value* to) {
  if (from == to) return true;
  if (from->is_graph_output_) return false;
  for (Node* c : from->consumers_) {
    if (std::find(c->implicit_inputs_.begin(), c->implicit_inputs_.end(), from) != c->implicit_inputs_.end()) return false;
  }
  std::vector<Node*> consumers = from->consumers_;
  for (Node* c : consumers) {
    for (size_t i = 0; i < c->inputs_.size(); ++i) {
      if (c->inputs_[i] == from) ReplaceInput(c, i, to);
    }
  }
  return true;
}

void Graph::DemoteInputToConstant(Value* v) {
  if (!v->initializer_ || !v->is_graph_input_) return;
  v->is_graph_input_ = false;
  inputs_.erase(std::remove(inputs_.begin(), inputs_.end(), v), inputs_.end());
}

void Graph::RemoveInitializer(Value* v) {
  v->initializer_.reset();
  initializer_order_.erase(std::remove(initializer_order_.begin(), initializer_order_.end(), v), initializer_order_.end());
}

Status Graph::MakeConstant(Value* v, Tensor t) {
  if (v->producer_) return InvalidGraph("value '", v->name_, "' still has a producer");
  bool listed = v->initializer_.has_value();
  v->initializer_ = std::move(t);
  v->type_ = Type::Tensor(v->initializer_->type(), ToSymShape(v->initializer_->shape()));
  if (!listed) initializer_order_.push_back(v);
  return Status::Ok();
}

Result<Value*> Graph::AddConstant(const std::string& base, Tensor t) {
  Value* v = GetOrCreateValue(UniqueName(base));
  ONYX_RETURN_IF_ERROR(MakeConstant(v, std::move(t)));
  return v;
}

void Graph::PruneValues() {
  for (auto it = values_.begin(); it != values_.end();) {
    Value* v = it->second.get();
    if (!v->producer_ && v->consumers_.empty() && !v->is_graph_input_ && !v->is_graph_output_ && !v->initializer_ &&
        !v->is_outer_scope_) {
      it = values_.erase(it);
    } else {
      ++it;
    }
  }
}

void Graph::AddImplicitInput(Node* node, Value* v) {
  if (std::find(node->implicit_inputs_.begin(), node->implicit_inputs_.end(), v) != node->implicit_inputs_.end()) {
    return;
  }
  node->implicit_inputs_.push_back(v);
  v->consumers_.push_back(node);
}

Result<std::vector<Node*>> Graph::TopologicalOrder() const {
  // Kahn's algorithm over producer edges within this graph, keeping file order among ready nodes.
  std::unordered_map<const Node*, size_t> index;
  for (size_t i = 0; i < nodes_.size(); ++i) index[nodes_[i].get()] = i;
  std::vector<int> pending(nodes_.size(), 0);
  std::vector<std::vector<size_t>> users(nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node* n = nodes_[i].get();
    auto add_edge = [&](const Value* v) {
      if (!v || !v->producer_) return;
      auto it = index.find(v->producer_);
      if (it == index.end()) return;
      pending[i]++;
      users[it->second].push_back(i);
    };
    for (const Value* v : n->inputs_) add_edge(v);
    for (const Value* v : n->implicit_inputs_) add_edge(v);
  }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (pending[i] == 0) ready.push(i);
  }
  std::vector<Node*> order;
  order.reserve(nodes_.size());
  while (!ready.empty()) {
    size_t i = ready.top();
    ready.pop();
    order.push_back(nodes_[i].get());
    for (size_t u : users[i]) {
      if (--pending[u] == 0) ready.push(u);
    }
  }
  if (order.size() != nodes_.size()) {
    for (size_t i = 0; i < nodes_.size(); ++i) {
      if (pending[i] > 0) {
        return InvalidGraph("graph '", name_, "' has a cycle through ", nodes_[i]->Describe());
      }
    }
  }
  return order;
}

std::string Graph::UniqueName(const std::string& base) {
  for (;;) {
    std::string candidate = base + "__onyx" + std::to_string(unique_counter_++);
    if (!FindValueInScope(candidate)) return candidate;
  }
}

}  // namespace onyx::ir
