#include "ir/shape_inference.h"

#include <algorithm>
#include <limits>
#include <map>
#include <unordered_map>

#include "common/logging.h"
#include "ir/derived_dim.h"

namespace onyx::ir {

struct InferenceState {
  InferOptions options;
  struct Facts {
    std::optional<ShapeValue> value;
    std::optional<Tensor> constant;  // stable address: the map's nodes never move
  };
  std::unordered_map<const Value*, Facts> facts;
};

namespace {

// Shape tensors are short; a longer integer constant is data, not worth following element by element.
constexpr int64_t kMaxValueElems = 1024;
std::map<std::pair<std::string, std::string>, InferenceFn>& Registry() {
  static auto* r = new std::map<std::pair<std::string, std::string>, InferenceFn>();
  return *r;
}

// Keeps what the model declared where inference knows less (e.g. a symbolic dim it could not compute).
void MergeDeclared(Type& inferred, const Type& declared) {
  if (declared.kind != Type::Kind::kTensor || inferred.kind != Type::Kind::kTensor) return;
  if (!inferred.shape && declared.shape) {
    inferred.shape = declared.shape;
    return;
  }
  if (inferred.shape && declared.shape && inferred.shape->size() == declared.shape->size()) {
    for (size_t i = 0; i < inferred.shape->size(); ++i) {
      Dim& d = (*inferred.shape)[i];
      if (!d.known() && d.param.empty()) d = (*declared.shape)[i];
    }
  }
}
// Refine-only merge: `existing` wins wherever it says something; `inferred` fills only what it leaves open.
Type Refine(const Type& existing, Type inferred) {
  if (existing.kind == Type::Kind::kUnknown) return inferred;
  if (existing.kind != Type::Kind::kTensor || inferred.kind != Type::Kind::kTensor) return existing;
  Type out = existing;
  if (out.elem_type == DataType::kUndefined) out.elem_type = inferred.elem_type;
  if (!inferred.shape) return out;
  if (!out.shape) {
    out.shape = inferred.shape;
    return out;
  }
  if (out.shape->size() != inferred.shape->size()) return out;
  for (size_t i = 0; i < out.shape->size(); ++i) {
    Dim& d = (*out.shape)[i];
    if (!d.known() && d.param.empty()) d = (*inferred.shape)[i];
  }
  return out;
}

bool IsIndexType(DataType t) { return t == DataType::kInt64 || t == DataType::kInt32; }
// Shape arithmetic passes through booleans too: torch's expand(-1) handling is Where(Equal(shape, -1), 1, shape).
bool IsValueType(DataType t) { return IsIndexType(t) || t == DataType::kBool; }

std::optional<ShapeValue> ValueOfTensor(const Tensor& t) {
  if (t.rank() > 1 || !IsValueType(t.type()) || t.size() > kMaxValueElems) return std::nullopt;
  ShapeValue v;
  v.scalar = t.rank() == 0;
  if (t.type() == DataType::kBool) {
    for (bool x : t.values<bool>()) v.elems.push_back(SymInt::Known(x ? 1 : 0));
  } else if (t.type() == DataType::kInt64) {
    for (int64_t x : t.values<int64_t>()) v.elems.push_back(SymInt::Known(x));
  } else {
    for (int32_t x : t.values<int32_t>()) v.elems.push_back(SymInt::Known(x));
  }
  return v;
}

Status InferGraph(Graph& graph, InferenceState& state) {
  ONYX_ASSIGN_OR_RETURN(std::vector<Node*> order, graph.TopologicalOrder());
  for (Node* node : order) {
    for (const auto& sub : node->subgraphs()) {
      // A value read from an enclosing scope is a Value of its own in the subgraph, typed only where the file
      // declares it: give it the type inferred where it is defined (already, in this order), so that the
      // subgraph's nodes can infer from it.
      for (const auto& [name, v] : sub->values()) {
        if (!v->is_outer_scope() || v->type().kind != Type::Kind::kUnknown) continue;
        if (const Value* outer = graph.FindValueInScope(name)) v->set_type(outer->type());
      }
      ONYX_RETURN_IF_ERROR(InferGraph(*sub, state));
    }
    InferenceContext ctx(*node, &state);
    if (const InferenceFn* fn = FindShapeInference(node->domain(), node->op_type())) {
      Status st = (*fn)(ctx);
      // Inference only informs planning; the kernels check shapes when they run. A model that inference
      // finds inconsistent is reported, not refused, so a gap in an inference function never blocks a model.
      if (!st.ok()) {
        Log(LogLevel::kVerbose, "shape inference stopped at ", node->Describe(), ": ", st.message());
        continue;  // no values either: the node's facts are in doubt
      }
    }
    if (node->domain().empty()) PropagateShapeValue(ctx);
  }
  return Status::Ok();
}

}  // namespace

bool ShapeValue::fully_known() const {
  for (const SymInt& e : elems) {
    if (!e.known()) return false;
  }
  return true;
}

SymInt SymInt::FromDim(const Dim& d) {
  if (d.known()) return Known(d.value);
  if (!d.param.empty()) return Symbol(d.param);
  return Unknown();
}

Dim SymInt::ToDim() const {
  if (known() && value >= 0) return Dim::Known(value);
  if (symbolic()) return Dim::Symbol(param);
  return Dim{};
}

const Tensor* InferenceContext::input_constant(size_t i) const {
  const Value* v = node_.input(i);
  if (v == nullptr) return nullptr;
  if (v->initializer()) return v->initializer();
  if (state_ == nullptr) return nullptr;
  auto it = state_->facts.find(v);
  return it != state_->facts.end() && it->second.constant ? &*it->second.constant : nullptr;
}

std::optional<ShapeValue> InferenceContext::input_value(size_t i) const {
  const Value* v = node_.input(i);
  if (v == nullptr) return std::nullopt;
  if (state_ != nullptr) {
    auto it = state_->facts.find(v);
    if (it != state_->facts.end()) {
      if (it->second.value) return it->second.value;
      if (it->second.constant) return ValueOfTensor(*it->second.constant);
    }
  }
  // Like input_constant, an initializer counts even when it is also a graph input (IR < 4 lists every
  // initializer as an input; the session makes them constants before optimizing).
  if (v->initializer()) return ValueOfTensor(*v->initializer());
  return std::nullopt;
}

std::optional<SymShape> InferenceContext::input_shape_value(size_t i) const {
  std::optional<ShapeValue> v = input_value(i);
  if (!v || v->scalar) return std::nullopt;
  SymShape dims;
  for (const SymInt& e : v->elems) dims.push_back(e.ToDim());
  return dims;
}

void InferenceContext::SetOutputValue(size_t i, ShapeValue value) {
  Value* v = node_.output(i);
  if (v == nullptr || state_ == nullptr || static_cast<int64_t>(value.elems.size()) > kMaxValueElems) return;
  if (value.scalar && value.elems.size() != 1) return;
  const Type& t = v->type();
  if (t.kind != Type::Kind::kUnknown && t.kind != Type::Kind::kTensor) return;
  if (t.elem_type != DataType::kUndefined && !IsValueType(t.elem_type)) return;
  if (t.shape) {  // a value that disagrees with the inferred shape is not trusted
    const size_t rank = value.scalar ? 0 : 1;
    if (t.shape->size() != rank) return;
    if (rank == 1 && (*t.shape)[0].known() && (*t.shape)[0].value != static_cast<int64_t>(value.elems.size())) return;
  }
  if (t.elem_type == DataType::kInt32) {
    for (SymInt& e : value.elems) {
      if (e.known() &&
          (e.value < std::numeric_limits<int32_t>::min() || e.value > std::numeric_limits<int32_t>::max())) {
        return;  // int32 arithmetic wraps where ours did not
      }
    }
  }
  if (t.elem_type != DataType::kUndefined) {
    SymShape shape = value.scalar ? SymShape{} : ToSymShape({static_cast<int64_t>(value.elems.size())});
    SetOutput(i, t.elem_type, std::move(shape));
  }
  auto& facts = state_->facts[v];
  if (value.fully_known() && IsIndexType(v->type().elem_type)) {
    const Shape shape = value.scalar ? Shape{} : Shape{static_cast<int64_t>(value.elems.size())};
    if (v->type().elem_type == DataType::kInt64) {
      std::vector<int64_t> xs;
      for (const SymInt& e : value.elems) xs.push_back(e.value);
      facts.constant = Tensor::FromVector<int64_t>(shape, xs);
    } else {
      std::vector<int32_t> xs;
      for (const SymInt& e : value.elems) xs.push_back(static_cast<int32_t>(e.value));
      facts.constant = Tensor::FromVector<int32_t>(shape, xs);
    }
  }
  facts.value = std::move(value);
}

void InferenceContext::SetOutputConstant(size_t i, Tensor value) {
  Value* v = node_.output(i);
  if (v == nullptr || state_ == nullptr || !value.defined()) return;
  const Type& t = v->type();
  if (t.is_tensor() && t.elem_type != DataType::kUndefined && t.elem_type != value.type()) return;
  auto& facts = state_->facts[v];
  facts.value = ValueOfTensor(value);
  facts.constant = std::move(value);
}

DataType InferenceContext::input_elem_type(size_t i) const {
  const Type* t = input_type(i);
  return t && t->kind == Type::Kind::kTensor ? t->elem_type : DataType::kUndefined;
}

const SymShape* InferenceContext::input_shape(size_t i) const {
  const Type* t = input_type(i);
  return t && t->kind == Type::Kind::kTensor && t->shape ? &*t->shape : nullptr;
}

int64_t InferenceContext::attr_int(const std::string& name, int64_t def) const {
  const Attribute* a = attr(name);
  return a && a->type == AttrType::kInt ? a->i : def;
}
float InferenceContext::attr_float(const std::string& name, float def) const {
  const Attribute* a = attr(name);
  return a && a->type == AttrType::kFloat ? a->f : def;
}
std::vector<int64_t> InferenceContext::attr_ints(const std::string& name) const {
  const Attribute* a = attr(name);
  return a && a->type == AttrType::kInts ? a->ints : std::vector<int64_t>{};
}
std::string InferenceContext::attr_string(const std::string& name, const std::string& def) const {
  const Attribute* a = attr(name);
  return a && a->type == AttrType::kString ? a->s : def;
}

void InferenceContext::SetOutput(size_t i, DataType type, std::optional<SymShape> shape) {
  SetOutputType(i, Type::Tensor(type, std::move(shape)));
}

void InferenceContext::SetOutputType(size_t i, Type type) {
  Value* v = node_.output(i);
  if (!v) return;
  if (state_ != nullptr && state_->options.refine_only) {
    v->set_type(Refine(v->type(), std::move(type)));
    return;
  }
  MergeDeclared(type, v->type());
  v->set_type(std::move(type));
}

void InferenceContext::CopyInputToOutput(size_t in, size_t out) {
  if (const Type* t = input_type(in)) SetOutputType(out, *t);
}

bool RegisterShapeInference(const std::string& domain, const std::string& op_type, InferenceFn fn) {
  Registry()[{domain, op_type}] = std::move(fn);
  return true;
}

const InferenceFn* FindShapeInference(const std::string& domain, const std::string& op_type) {
  auto it = Registry().find({domain, op_type});
  return it == Registry().end() ? nullptr : &it->second;
}

Status InferShapes(Graph& graph, const InferOptions& options) {
  InferenceState state;
  state.options = options;
  ONYX_RETURN_IF_ERROR(InferGraph(graph, state));
  if (options.values != nullptr) {
    for (auto& [v, facts] : state.facts) {
      if (facts.value) (*options.values)[v] = std::move(*facts.value);
    }
  }
  return Status::Ok();
}

Dim MinDim(const std::string& s, int64_t n) { return Dim::Symbol("min(" + s + "," + std::to_string(n) + ")"); }

Dim AffineDim(const Dim& d, int64_t scale, int64_t offset, int64_t divisor) {
  if (scale < 1 || divisor < 1) return Dim{};
  if (d.known()) {
    int64_t v = 0;
    if (__builtin_mul_overflow(d.value, scale, &v) || __builtin_add_overflow(v, offset, &v) || v < 0) return Dim{};
    return Dim::Known(v / divisor);
  }
  if (d.param.empty()) return Dim{};
  if (scale == 1 && offset == 0 && divisor == 1) return d;
  std::string base = d.param;
  // A shift of a shift is one shift: a chain of VALID convolutions names (H-6), not (((H-2)-2)-2).
  if (scale == 1 && divisor == 1 && base.size() > 3 && base.front() == '(' && base.back() == ')') {
    const size_t sign = base.find_last_of("+-");
    const std::string tail = sign == std::string::npos ? std::string() : base.substr(sign + 1, base.size() - sign - 2);
    if (sign > 1 && !tail.empty() && tail.size() <= 15 &&
        tail.find_first_not_of("0123456789") == std::string::npos &&
        base.find_first_of("()", 1) == base.size() - 1) {
      int64_t inner = std::stoll(tail);
      if (base[sign] == '-') inner = -inner;
      if (!__builtin_add_overflow(inner, offset, &offset)) {
        base = base.substr(1, sign - 1);
        if (offset == 0) return Dim::Symbol(std::move(base));
      }
    }
  }
  std::string s = scale == 1 ? base : std::to_string(scale) + "*" + base;
  if (offset != 0) s = "(" + s + (offset > 0 ? "+" : "") + std::to_string(offset) + ")";
  if (divisor != 1) s = "floor(" + s + "/" + std::to_string(divisor) + ")";
  // Names grow with the depth of the arithmetic; past this length a dim is left unknown (nothing proves less).
  if (s.size() > 512) return Dim{};
  return Dim::Symbol(std::move(s));
}

namespace {
// `bound` is MinDim(s, n) for some n >= 1.
bool IsMinOf(const std::string& bound, const std::string& s) {
  const std::string prefix = "min(" + s + ",";
  if (s.empty() || bound.size() <= prefix.size() + 1 || bound.compare(0, prefix.size(), prefix) != 0 ||
      bound.back() != ')') {
    return false;
  }
  const std::string n = bound.substr(prefix.size(), bound.size() - prefix.size() - 1);
  return n.size() <= 18 && std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         std::stoll(n) >= 1;
}
}  // namespace

Result<SymShape> BroadcastShapes(const SymShape& a, const SymShape& b) {
  size_t rank = std::max(a.size(), b.size());
  SymShape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const Dim* da = i < rank - a.size() ? nullptr : &a[i - (rank - a.size())];
    const Dim* db = i < rank - b.size() ? nullptr : &b[i - (rank - b.size())];
    if (!da) { out[i] = *db; continue; }
    if (!db) { out[i] = *da; continue; }
    if (da->known() && db->known()) {
      if (da->value == db->value || db->value == 1) out[i] = *da;
      else if (da->value == 1) out[i] = *db;
      else return InvalidGraph("shapes cannot broadcast: dim ", da->value, " against ", db->value);
    } else if (da->known() && da->value != 1) {
      out[i] = *da;
    } else if (db->known() && db->value != 1) {
      out[i] = *db;
    } else if (!da->known() && !db->known() && da->param == db->param) {
      out[i] = *da;
    } else if (!da->known() && !db->known() && IsMinOf(da->param, db->param)) {
      out[i] = *db;
    } else if (!da->known() && !db->known() && IsMinOf(db->param, da->param)) {
      out[i] = *da;
    } else if (da->known()) {
      out[i] = *db;  // 1 against unknown
    } else if (db->known()) {
      out[i] = *da;
    } else {
      out[i] = Dim{};
    }
  }
  return out;
}

Status InferElementwise(InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  std::optional<SymShape> shape;
  bool all_known = true;
  for (size_t i = 0; i < ctx.input_count(); ++i) {
    if (!ctx.has_input(i)) continue;
    const SymShape* s = ctx.input_shape(i);
    if (!s) { all_known = false; break; }
    if (!shape) { shape = *s; continue; }
    auto b = BroadcastShapes(*shape, *s);
    if (!b.ok()) return ctx.Error(b.status().message());
    shape = b.take();
  }
  if (!all_known) shape.reset();
  if (t == DataType::kUndefined) return Status::Ok();
  ctx.SetOutput(0, t, shape);
  return Status::Ok();
}

Status InferSameAsInput(InferenceContext& ctx) {
  ctx.CopyInputToOutput(0, 0);
  return Status::Ok();
}

}  // namespace onyx::ir
