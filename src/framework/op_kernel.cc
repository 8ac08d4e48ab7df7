#include "framework/op_kernel.h"

#include <cstring>

#include "common/checked_math.h"
#include "framework/graph_runner.h"

namespace onyx {

namespace {
template <typename T>
Status ReadAttr(const KernelInfo& info, const std::string& name, ir::AttrType want, T* out, const std::optional<T>& def,
                T ir::Attribute::*field) {
  const ir::Attribute* a = info.node().attribute(name);
  if (a == nullptr) {
    if (!def) return info.Error("required attribute '", name, "' is missing");
    *out = *def;
    return Status::Ok();
  }
  if (a->type != want) {
    return info.Error("attribute '", name, "' should be ", ir::AttrTypeName(want), " but is ",
                      ir::AttrTypeName(a->type));
  }
  *out = a->*field;
  return Status::Ok();
}
}  // namespace

Status KernelInfo::GetInt(const std::string& name, int64_t* out, std::optional<int64_t> def) const {
  return ReadAttr(*this, name, ir::AttrType::kInt, out, def, &ir::Attribute::i);
}
Status KernelInfo::GetFloat(const std::string& name, float* out, std::optional<float> def) const {
  return ReadAttr(*this, name, ir::AttrType::kFloat, out, def, &ir::Attribute::f);
}
Status KernelInfo::GetString(const std::string& name, std::string* out, std::optional<std::string> def) const {
  return ReadAttr(*this, name, ir::AttrType::kString, out, def, &ir::Attribute::s);
}
Status KernelInfo::GetInts(const std::string& name, std::vector<int64_t>* out,
                           std::optional<std::vector<int64_t>> def) const {
  return ReadAttr(*this, name, ir::AttrType::kInts, out, def, &ir::Attribute::ints);
}
Status KernelInfo::GetFloats(const std::string& name, std::vector<float>* out,
                             std::optional<std::vector<float>> def) const {
  return ReadAttr(*this, name, ir::AttrType::kFloats, out, def, &ir::Attribute::floats);
}
Status KernelInfo::GetStrings(const std::string& name, std::vector<std::string>* out,
                              std::optional<std::vector<std::string>> def) const {
  return ReadAttr(*this, name, ir::AttrType::kStrings, out, def, &ir::Attribute::strings);
}
Status KernelInfo::GetTensor(const std::string& name, Tensor* out) const {
  return ReadAttr(*this, name, ir::AttrType::kTensor, out, std::optional<Tensor>(), &ir::Attribute::t);
}

const GraphRunner* KernelInfo::subgraph(const std::string& attr_name) const {
  for (size_t i = 0; i < subgraph_names_.size(); ++i) {
    if (subgraph_names_[i] == attr_name) return subgraph_runners_[i];
  }
  return nullptr;
}

const Tensor* KernelInfo::constant_input(size_t i) const {
  const ir::Value* v = node_.input(i);
  if (v == nullptr) return nullptr;
  if (v->initializer() || !v->is_outer_scope() || graph_ == nullptr) return v->initializer();
  // Up the enclosing graphs to where the name is defined; only a true constant there (not an overridable
  // graph input) counts.
  for (const ir::Graph* g = graph_->parent(); g != nullptr; g = g->parent()) {
    const ir::Value* outer = g->FindValue(v->name());
    if (outer == nullptr || outer->is_outer_scope()) continue;
    return outer->is_graph_input() ? nullptr : outer->initializer();
  }
  return nullptr;
}

Status KernelContext::CheckStringBytes(int64_t longest, int64_t total) const {
  const int64_t string_limit = run_ != nullptr ? run_->max_string_bytes() : Limits{}.max_string_bytes;
  if (longest > string_limit) {
    return Error("output string of ", longest, " bytes, over the limit of ", string_limit,
                 " (session.max_string_bytes)");
  }
  const int64_t tensor_limit = run_ != nullptr ? run_->max_tensor_bytes() : kMaxTensorBytes;
  if (total > tensor_limit) {
    return Error("output strings of ", total, " bytes together, over the limit of ", tensor_limit,
                 " (session.max_tensor_bytes)");
  }
  return Status::Ok();
}

Result<Tensor> KernelContext::Allocate(DataType type, const Shape& shape, bool zero) {
  int64_t count = 0;
  if (!CheckedElementCount(shape, &count)) {
    return Error("output shape ", ShapeToString(shape), " has a negative dim or overflows");
  }
  // A shape computed from a run's inputs can ask for anything: hold it to the session's limit before allocating.
  const int64_t limit = run_ != nullptr ? run_->max_tensor_bytes() : kMaxTensorBytes;
  const int64_t width = type == DataType::kString ? static_cast<int64_t>(sizeof(std::string)) * 8 : DataTypeBits(type);
  int64_t bits = 0;
  const bool overflow = !CheckedMul(count, width, &bits);
  if (overflow || bits / 8 + (bits % 8 != 0) > limit) {
    return Error("output ", DataTypeName(type), ShapeToString(shape), " needs ",
                 overflow ? std::string("more than 2^60") : std::to_string((bits + 7) / 8),
                 " bytes, over the limit of ", limit, " (session.max_tensor_bytes)");
  }
  if (type == DataType::kString || allocator_ == nullptr || run_ == nullptr) {
    return Tensor::Create(type, shape, allocator_);
  }
  auto bytes = static_cast<size_t>((bits + 7) / 8);
  std::shared_ptr<Allocator> alloc_holder;
  // The pool is keyed by allocator; providers hand out long-lived allocators, so a non-owning handle is safe.
  std::shared_ptr<Allocator> key(std::shared_ptr<Allocator>(), allocator_);
  BufferPool* pool = run_->PoolFor(key);
  std::shared_ptr<Buffer> buffer;
  try {
    buffer = pool->Get(bytes);
  } catch (const std::bad_alloc&) {
    return Error("out of memory allocating ", bytes, " bytes");
  }
  if (zero && allocator_->device().kind == DeviceKind::kCpu && bytes > 0) std::memset(buffer->data(), 0, bytes);
  return Tensor(type, shape, std::move(buffer));
}

Result<Tensor*> KernelContext::Output(size_t i, DataType type, const Shape& shape) {
  if (i >= outputs_.size()) return Error("output index ", i, " out of range (", outputs_.size(), " outputs)");
  ONYX_ASSIGN_OR_RETURN(Tensor t, Allocate(type, shape));
  outputs_[i] = Value(std::move(t));
  return &outputs_[i].tensor();
}

Result<Tensor*> KernelContext::OutputForOverwrite(size_t i, DataType type, const Shape& shape) {
  if (i >= outputs_.size()) return Error("output index ", i, " out of range (", outputs_.size(), " outputs)");
  ONYX_ASSIGN_OR_RETURN(Tensor t, Allocate(type, shape, /*zero=*/false));
  outputs_[i] = Value(std::move(t));
  return &outputs_[i].tensor();
}

Status KernelContext::SetOutput(size_t i, Value value) {
  if (i >= outputs_.size()) return Error("output index ", i, " out of range (", outputs_.size(), " outputs)");
  outputs_[i] = std::move(value);
  return Status::Ok();
}

Status KernelContext::RunSubgraph(const GraphRunner& subgraph, std::span<const Value> inputs,
                                  std::vector<Value>* outputs) {
  if (run_ == nullptr) return Error("subgraphs need a run context");
  return subgraph.Run(inputs, frame_, *run_, outputs);
}

}  // namespace onyx
