#include "format/model_saver.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "format/tensor_proto.h"

namespace onyx::format {

namespace {

void TypeToProto(const ir::Type& t, proto::TypeProto* tp) {
  switch (t.kind) {
    case ir::Type::Kind::kTensor:
    case ir::Type::Kind::kSparseTensor: {
      bool sparse = t.kind == ir::Type::Kind::kSparseTensor;
      auto* elem = sparse ? nullptr : tp->mutable_tensor_type();
      auto* sp = sparse ? tp->mutable_sparse_tensor_type() : nullptr;
      if (elem) elem->set_elem_type(static_cast<int32_t>(t.elem_type));
      if (sp) sp->set_elem_type(static_cast<int32_t>(t.elem_type));
      if (t.shape) {
        auto* shape = elem ? elem->mutable_shape() : sp->mutable_shape();
        for (const ir::Dim& d : *t.shape) {
          auto* dim = shape->add_dim();
          if (d.known()) dim->set_dim_value(d.value);
          else if (!d.param.empty()) dim->set_dim_param(d.param);
        }
      }
      break;
    }
    case ir::Type::Kind::kSequence:
      if (t.inner) TypeToProto(*t.inner, tp->mutable_sequence_type()->mutable_elem_type());
      else tp->mutable_sequence_type();
      break;
    case ir::Type::Kind::kOptional:
      if (t.inner) TypeToProto(*t.inner, tp->mutable_optional_type()->mutable_elem_type());
      else tp->mutable_optional_type();
      break;
    case ir::Type::Kind::kMap:
      tp->mutable_map_type()->set_key_type(static_cast<int32_t>(t.elem_type));
      if (t.inner) TypeToProto(*t.inner, tp->mutable_map_type()->mutable_value_type());
      break;
    case ir::Type::Kind::kOpaque: tp->mutable_opaque_type(); break;
    case ir::Type::Kind::kUnknown: break;
  }
}

void ValueInfoToProto(const ir::Value& v, proto::ValueInfoProto* vi) {
  vi->set_name(v.name());
  if (v.type().kind != ir::Type::Kind::kUnknown) TypeToProto(v.type(), vi->mutable_type());
}

Status GraphToProto(const ir::Graph& g, proto::GraphProto* gp, std::set<std::string>* domains);

Status AttributeToProto(const ir::Attribute& a, proto::AttributeProto* ap, std::set<std::string>* domains) {
  ap->set_name(a.name);
  ap->set_type(static_cast<proto::AttributeProto::AttributeType>(a.type));
  switch (a.type) {
    case ir::AttrType::kFloat: ap->set_f(a.f); break;
    case ir::AttrType::kInt: ap->set_i(a.i); break;
    case ir::AttrType::kString: ap->set_s(a.s); break;
    case ir::AttrType::kTensor: TensorToProto(a.t, ap->mutable_t()); break;
    case ir::AttrType::kGraph: ONYX_RETURN_IF_ERROR(GraphToProto(*a.g, ap->mutable_g(), domains)); break;
    case ir::AttrType::kFloats: for (float f : a.floats) ap->add_floats(f); break;
    case ir::AttrType::kInts: for (int64_t i : a.ints) ap->add_ints(i); break;
    case ir::AttrType::kStrings: for (const auto& s : a.strings) ap->add_strings(s); break;
    case ir::AttrType::kTensors: for (const auto& t : a.tensors) TensorToProto(t, ap->add_tensors()); break;
    case ir::AttrType::kGraphs:
      for (const auto& g : a.graphs) ONYX_RETURN_IF_ERROR(GraphToProto(*g, ap->add_graphs(), domains));
      break;
    case ir::AttrType::kTypeProto:
      if (!a.type_protos.empty()) TypeToProto(a.type_protos[0], ap->mutable_tp());
      break;
    case ir::AttrType::kTypeProtos: for (const auto& t : a.type_protos) TypeToProto(t, ap->add_type_protos()); break;
    default: return NotImplemented("cannot save attribute '", a.name, "' of type ", ir::AttrTypeName(a.type));
  }
  return Status::Ok();
}

Status GraphToProto(const ir::Graph& g, proto::GraphProto* gp, std::set<std::string>* domains) {
  gp->set_name(g.name());
  if (!g.doc_string.empty()) gp->set_doc_string(g.doc_string);
  for (const ir::Value* v : g.initializers()) {
    auto* tp = gp->add_initializer();
    TensorToProto(*v->initializer(), tp);
    tp->set_name(v->name());
  }
  for (const ir::Value* v : g.inputs()) ValueInfoToProto(*v, gp->add_input());
  for (const ir::Value* v : g.outputs()) ValueInfoToProto(*v, gp->add_output());
  auto order = g.TopologicalOrder();
  if (!order.ok()) return order.status();
  for (const ir::Node* n : order.value()) {
    auto* np = gp->add_node();
    np->set_name(n->name());
    np->set_op_type(n->op_type());
    if (!n->domain().empty()) np->set_domain(n->domain());
    domains->insert(n->domain());
    for (const ir::Value* v : n->inputs()) np->add_input(v ? v->name() : std::string());
    for (const ir::Value* v : n->outputs()) np->add_output(v ? v->name() : std::string());
    for (const auto& [name, a] : n->attributes()) ONYX_RETURN_IF_ERROR(AttributeToProto(a, np->add_attribute(), domains));
    if (!n->doc_string().empty()) np->set_doc_string(n->doc_string());
  }
  // Keep what is known of intermediate types, so a reloaded model infers no less.
  for (const auto& n : g.nodes()) {
    for (const ir::Value* v : n->outputs()) {
      if (v && !v->is_graph_output() && v->type().kind != ir::Type::Kind::kUnknown) ValueInfoToProto(*v, gp->add_value_info());
    }
  }
  return Status::Ok();
}

}  // namespace

Status ModelToProto(const ir::Model& model, proto::ModelProto* mp) {
  const auto& meta = model.metadata;
  mp->set_ir_version(meta.ir_version);
  mp->set_producer_name(meta.producer_name);
  mp->set_producer_version(meta.producer_version);
  mp->set_domain(meta.domain);
  mp->set_model_version(meta.model_version);
  mp->set_doc_string(meta.doc_string);
  for (const auto& [k, v] : meta.metadata_props) {
    auto* kv = mp->add_metadata_props();
    kv->set_key(k);
    kv->set_value(v);
  }
  std::set<std::string> domains;
  ONYX_RETURN_IF_ERROR(GraphToProto(*model.graph, mp->mutable_graph(), &domains));
  for (const auto& [domain, version] : meta.opsets) {
    auto* op = mp->add_opset_import();
    op->set_domain(domain);
    op->set_version(version);
  }
  for (const std::string& d : domains) {
    if (!meta.opsets.count(d)) {
      auto* op = mp->add_opset_import();
      op->set_domain(d);
      op->set_version(1);
    }
  }
  return Status::Ok();
}

Status SaveModel(const ir::Model& model, const std::string& path) {
  proto::ModelProto mp;
  ONYX_RETURN_IF_ERROR(ModelToProto(model, &mp));
  if (mp.ByteSizeLong() > static_cast<size_t>(INT32_MAX)) {
    return NotImplemented("model is over 2 GiB; saving with external data is not supported yet");
  }
  // A file descriptor, not std::ofstream: file streams bring the iostreams and their locale into every program that
  // links the session (docs/EDGE.md, "Sizes").
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return Error(StatusCode::kNoSuchFile, "cannot write '", path, "': ", std::strerror(errno));
  const bool written = mp.SerializeToFileDescriptor(fd);
  if (::close(fd) != 0 || !written) return Fail("failed writing '", path, "'");
  return Status::Ok();
}

}  // namespace onyx::format
