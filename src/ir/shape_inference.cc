#include "ir/shape_inference.h"

#include <map>

#include "common/logging.h"

namespace onyx::ir {

namespace {
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
}  // namespace

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

Status InferShapes(Graph& graph) {
  ONYX_ASSIGN_OR_RETURN(std::vector<Node*> order, graph.TopologicalOrder());
  for (Node* node : order) {
    for (const auto& sub : node->subgraphs()) ONYX_RETURN_IF_ERROR(InferShapes(*sub));
    const InferenceFn* fn = FindShapeInference(node->domain(), node->op_type());
    if (!fn) continue;
    InferenceContext ctx(*node);
    Status st = (*fn)(ctx);
    // Inference only informs planning; the kernels check shapes when they run. A model that inference
    // finds inconsistent is reported, not refused, so a gap in an inference function never blocks a model.
    if (!st.ok()) Log(LogLevel::kVerbose, "shape inference stopped at ", node->Describe(), ": ", st.message());
  }
  return Status::Ok();
}

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
