#include "format/model_loader.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <set>

#include "format/function_inliner.h"
#include "format/mapped_file.h"
#include "format/opset_imports.h"
#include "format/subgraph_nesting.h"
#include "format/tensor_proto.h"
#include "ir/op_schema.h"

namespace onyx::format {

namespace {

// Protobuf's parser recurses once per message level and gives up past its recursion limit. Each subgraph
// level costs three (NodeProto, AttributeProto, GraphProto); the allowance covers the levels around and
// inside the deepest graph (value types such as sequence(map(...)) nest two levels per step).
constexpr int kParserRecursionAllowance = 64;
int ParserRecursionLimit(const Limits& limits) { return 3 * limits.max_subgraph_depth + kParserRecursionAllowance; }

// `depth` is how deep the model nests, as far as the loader looked (SubgraphNesting stops past the ceiling).
Status NestingTooDeep(int depth, const Limits& limits) {
  const std::string how_deep =
      depth > kMaxSubgraphDepthCeiling ? MakeString("more than ", kMaxSubgraphDepthCeiling) : std::to_string(depth);
  return InvalidGraph("subgraphs nest ", how_deep, " levels deep, over the limit of ", limits.max_subgraph_depth,
                      " (session.max_subgraph_depth)");
}

Status StringTooLong(const std::string& what, size_t bytes, const Limits& limits) {
  return InvalidGraph(what, " is a string of ", bytes, " bytes, over the limit of ", limits.max_string_bytes,
                      " (session.max_string_bytes)");
}

class Builder {
 public:
  Builder(ExternalDataResolver* resolver, std::shared_ptr<const ir::OpsetMap> opsets, const Limits& limits)
      : resolver_(resolver), opsets_(std::move(opsets)), limits_(limits) {}

  Status BuildGraph(proto::GraphProto& gp, ir::Graph* g, int depth);

 private:
  Result<ir::Attribute> BuildAttribute(proto::AttributeProto& ap, ir::Graph* owner, const std::string& node, int depth);
  Status CheckStrings(const proto::AttributeProto& ap, const std::string& node) const;

  ExternalDataResolver* resolver_;
  std::shared_ptr<const ir::OpsetMap> opsets_;
  const Limits& limits_;
  int64_t nodes_ = 0;  // in every graph built so far
};

Status Builder::CheckStrings(const proto::AttributeProto& ap, const std::string& node) const {
  const auto limit = static_cast<size_t>(limits_.max_string_bytes);
  if (ap.s().size() > limit) {
    return StringTooLong("node '" + node + "': attribute '" + ap.name() + "'", ap.s().size(), limits_);
  }
  for (int i = 0; i < ap.strings_size(); ++i) {
    if (ap.strings(i).size() > limit) {
      return StringTooLong(MakeString("node '", node, "': attribute '", ap.name(), "' item ", i), ap.strings(i).size(),
                           limits_);
    }
  }
  return Status::Ok();
}

Result<ir::Attribute> Builder::BuildAttribute(proto::AttributeProto& ap, ir::Graph* owner, const std::string& node,
                                              int depth) {
  ir::Attribute a;
  a.name = ap.name();
  auto type = static_cast<ir::AttrType>(ap.type());
  if (ap.type() == 0) {
    // IR version 1 files may omit the type: infer it from the field that is set.
    if (ap.has_f()) type = ir::AttrType::kFloat;
    else if (ap.has_i()) type = ir::AttrType::kInt;
    else if (ap.has_s()) type = ir::AttrType::kString;
    else if (ap.has_t()) type = ir::AttrType::kTensor;
    else if (ap.has_g()) type = ir::AttrType::kGraph;
    else if (ap.floats_size()) type = ir::AttrType::kFloats;
    else if (ap.ints_size()) type = ir::AttrType::kInts;
    else if (ap.strings_size()) type = ir::AttrType::kStrings;
    else if (ap.tensors_size()) type = ir::AttrType::kTensors;
    else if (ap.graphs_size()) type = ir::AttrType::kGraphs;
  }
  a.type = type;
  ONYX_RETURN_IF_ERROR(CheckStrings(ap, node));
  switch (type) {
    case ir::AttrType::kFloat: a.f = ap.f(); break;
    case ir::AttrType::kInt: a.i = ap.i(); break;
    case ir::AttrType::kString: a.s = ap.s(); break;
    case ir::AttrType::kFloats: a.floats.assign(ap.floats().begin(), ap.floats().end()); break;
    case ir::AttrType::kInts: a.ints.assign(ap.ints().begin(), ap.ints().end()); break;
    case ir::AttrType::kStrings: a.strings.assign(ap.strings().begin(), ap.strings().end()); break;
    case ir::AttrType::kTensor: {
      auto t = TensorFromProto(*ap.mutable_t(), resolver_, limits_);
      if (!t.ok()) return t.status().WithContext("attribute '" + a.name + "'");
      a.t = t.take();
      break;
    }
    case ir::AttrType::kTensors:
      for (auto& tp : *ap.mutable_tensors()) {
        auto t = TensorFromProto(tp, resolver_, limits_);
        if (!t.ok()) return t.status().WithContext("attribute '" + a.name + "'");
        a.tensors.push_back(t.take());
      }
      break;
    case ir::AttrType::kGraph: {
      a.g = std::make_shared<ir::Graph>(owner);
      ONYX_RETURN_IF_ERROR(BuildGraph(*ap.mutable_g(), a.g.get(), depth + 1));
      break;
    }
    case ir::AttrType::kGraphs:
      for (auto& gp : *ap.mutable_graphs()) {
        auto g = std::make_shared<ir::Graph>(owner);
        ONYX_RETURN_IF_ERROR(BuildGraph(gp, g.get(), depth + 1));
        a.graphs.push_back(std::move(g));
      }
      break;
    case ir::AttrType::kTypeProto: {
      ONYX_ASSIGN_OR_RETURN(ir::Type t, TypeFromProto(ap.tp()));
      a.type_protos.push_back(std::move(t));
      break;
    }
    case ir::AttrType::kTypeProtos:
      for (const auto& tp : ap.type_protos()) {
        ONYX_ASSIGN_OR_RETURN(ir::Type t, TypeFromProto(tp));
        a.type_protos.push_back(std::move(t));
      }
      break;
    case ir::AttrType::kSparseTensor:
    case ir::AttrType::kSparseTensors:
      return NotImplemented("node '", node, "': sparse tensor attribute '", a.name, "' is not supported");
    default:
      return InvalidGraph("node '", node, "': attribute '", a.name, "' has unknown type ", ap.type());
  }
  return a;
}

Status Builder::BuildGraph(proto::GraphProto& gp, ir::Graph* g, int depth) {
  if (depth > limits_.max_subgraph_depth) return NestingTooDeep(depth, limits_);
  // Counted before anything of the graph is built: a file's node count is bounded by its size, but the
  // IR costs far more memory per node than the bytes that declare it.
  nodes_ += gp.node_size();
  if (nodes_ > limits_.max_nodes) {
    return InvalidGraph("model has at least ", nodes_, " nodes (subgraphs included), over the limit of ",
                        limits_.max_nodes, " (session.max_nodes)");
  }
  g->set_name(gp.name());
  g->doc_string = gp.doc_string();
  g->set_opsets(opsets_);
  for (auto& tp : *gp.mutable_initializer()) {
    auto t = TensorFromProto(tp, resolver_, limits_);
    if (!t.ok()) return t.status().WithContext("initializer '" + tp.name() + "'");
    if (tp.name().empty()) return InvalidGraph("graph '", gp.name(), "' has an initializer without a name");
    ONYX_RETURN_IF_ERROR(g->AddInitializer(tp.name(), t.take()));
  }
  if (gp.sparse_initializer_size() > 0) {
    return NotImplemented("graph '", gp.name(), "' has sparse initializers, which are not supported");
  }
  for (const auto& vi : gp.input()) {
    ir::Type type;
    if (vi.has_type()) {
      auto t = TypeFromProto(vi.type());
      if (!t.ok()) return t.status().WithContext("graph input '" + vi.name() + "'");
      type = t.take();
    }
    if (vi.name().empty()) return InvalidGraph("graph '", gp.name(), "' has an input without a name");
    // Before IR version 4 initializers were also listed as inputs; such an input keeps its initializer
    // (as an overridable default) and stays a graph input.
    ONYX_RETURN_IF_ERROR(g->AddInput(vi.name(), std::move(type)));
  }
  for (const auto& vi : gp.value_info()) {
    if (!vi.has_type()) continue;
    auto t = TypeFromProto(vi.type());
    if (!t.ok()) continue;  // value_info is a hint only
    ir::Value* v = g->GetOrCreateValue(vi.name());
    if (v->type().kind == ir::Type::Kind::kUnknown) v->set_type(t.take());
  }
  for (auto& np : *gp.mutable_node()) {
    std::map<std::string, ir::Attribute> attrs;
    std::string node_name = np.name().empty() ? (np.output_size() ? np.output(0) : np.op_type()) : np.name();
    for (auto& ap : *np.mutable_attribute()) {
      if (!ap.ref_attr_name().empty()) {
        return InvalidGraph("node '", node_name, "': attribute '", ap.name(),
                            "' refers to a function attribute outside a function body");
      }
      auto a = BuildAttribute(ap, g, node_name, depth);
      if (!a.ok()) return a.status();
      if (attrs.count(ap.name())) return InvalidGraph("node '", node_name, "' repeats attribute '", ap.name(), "'");
      attrs.emplace(ap.name(), a.take());
    }
    std::string domain = ir::CanonicalDomain(np.domain());
    int64_t opset = 0;
    auto it = opsets_->find(domain);
    if (it != opsets_->end()) opset = it->second;
    std::vector<std::string> ins(np.input().begin(), np.input().end());
    std::vector<std::string> outs(np.output().begin(), np.output().end());
    g->AddNode(node_name, np.op_type(), domain, opset, ins, outs, std::move(attrs), np.doc_string());
  }
  for (const auto& vi : gp.output()) {
    ir::Type type;
    if (vi.has_type()) {
      auto t = TypeFromProto(vi.type());
      if (!t.ok()) return t.status().WithContext("graph output '" + vi.name() + "'");
      type = t.take();
    }
    if (vi.name().empty()) return InvalidGraph("graph '", gp.name(), "' has an output without a name");
    ONYX_RETURN_IF_ERROR(g->AddOutput(vi.name(), std::move(type)));
  }
  // Names read here but defined nowhere in this graph come from an enclosing scope (or are errors that
  // validation reports).
  for (const auto& [name, v] : g->values()) {
    if (!v->producer() && !v->is_graph_input() && !v->initializer() && g->parent() &&
        g->parent()->FindValueInScope(name)) {
      g->MarkOuterScope(v.get());
    }
  }
  return Status::Ok();
}

// Records, for each node holding subgraphs, the outer-scope values its subgraphs read (at any depth)
// that are defined in the node's own graph or above.
void CollectImplicitInputs(ir::Graph* g) {
  for (const auto& node : g->nodes()) {
    for (const auto& sub : node->subgraphs()) {
      CollectImplicitInputs(sub.get());
      std::vector<const ir::Graph*> stack{sub.get()};
      while (!stack.empty()) {
        const ir::Graph* cur = stack.back();
        stack.pop_back();
        for (const auto& [name, v] : cur->values()) {
          if (!v->is_outer_scope()) continue;
          // Resolve in this graph's scope; only values not defined inside the subgraph chain count.
          if (ir::Value* outer = g->FindValueInScope(name)) g->AddImplicitInput(node.get(), outer);
        }
        for (const auto& n : cur->nodes()) {
          for (const auto& s : n->subgraphs()) stack.push_back(s.get());
        }
      }
    }
  }
}

}  // namespace

Result<ir::Type> TypeFromProto(const proto::TypeProto& tp) {
  ir::Type t;
  switch (tp.value_case()) {
    case proto::TypeProto::kTensorType:
    case proto::TypeProto::kSparseTensorType: {
      bool sparse = tp.value_case() == proto::TypeProto::kSparseTensorType;
      int32_t elem = sparse ? tp.sparse_tensor_type().elem_type() : tp.tensor_type().elem_type();
      const auto& shape_proto = sparse ? tp.sparse_tensor_type().shape() : tp.tensor_type().shape();
      bool has_shape = sparse ? tp.sparse_tensor_type().has_shape() : tp.tensor_type().has_shape();
      t.kind = sparse ? ir::Type::Kind::kSparseTensor : ir::Type::Kind::kTensor;
      if (elem != 0 && !IsValidDataType(elem)) return InvalidGraph("unknown tensor element type ", elem);
      t.elem_type = static_cast<DataType>(elem);
      if (has_shape) {
        ir::SymShape shape;
        for (const auto& d : shape_proto.dim()) {
          // Some exporters (old paddle2onnx) declare a free dimension as dim_value -1; onnxruntime reads any
          // negative value as free too. Tensor data (initializers, attributes) keeps refusing negative dims.
          if (d.has_dim_value() && d.dim_value() >= 0) {
            shape.push_back(ir::Dim::Known(d.dim_value()));
          } else {
            shape.push_back(ir::Dim::Symbol(d.dim_param()));
          }
        }
        t.shape = std::move(shape);
      }
      break;
    }
    case proto::TypeProto::kSequenceType:
    case proto::TypeProto::kOptionalType: {
      bool seq = tp.value_case() == proto::TypeProto::kSequenceType;
      t.kind = seq ? ir::Type::Kind::kSequence : ir::Type::Kind::kOptional;
      const auto& inner = seq ? tp.sequence_type().elem_type() : tp.optional_type().elem_type();
      if (seq ? tp.sequence_type().has_elem_type() : tp.optional_type().has_elem_type()) {
        ONYX_ASSIGN_OR_RETURN(ir::Type in, TypeFromProto(inner));
        t.inner = std::make_shared<ir::Type>(std::move(in));
      }
      break;
    }
    case proto::TypeProto::kMapType: {
      t.kind = ir::Type::Kind::kMap;
      int32_t key = tp.map_type().key_type();
      if (!IsValidDataType(key)) return InvalidGraph("unknown map key type ", key);
      t.elem_type = static_cast<DataType>(key);
      ONYX_ASSIGN_OR_RETURN(ir::Type in, TypeFromProto(tp.map_type().value_type()));
      t.inner = std::make_shared<ir::Type>(std::move(in));
      break;
    }
    case proto::TypeProto::kOpaqueType: t.kind = ir::Type::Kind::kOpaque; break;
    case proto::TypeProto::VALUE_NOT_SET: break;
  }
  return t;
}

namespace {

// Hands protobuf's parser a mapped model file in blocks and gives the pages it has finished with back to the system
// as it goes (MappedFile::Release): parsing copies every initializer's bytes out of the file, and without this the
// whole file stayed resident beside its parsed copy until the load ended, twice the weights at the peak.
class ReleasingInputStream : public google::protobuf::io::ZeroCopyInputStream {
 public:
  explicit ReleasingInputStream(const MappedFile& file) : file_(file) {}
  bool Next(const void** data, int* size) override {
    if (pos_ >= file_.size()) return false;
    const size_t n = std::min(kBlock, file_.size() - pos_);
    *data = file_.data() + pos_;
    *size = static_cast<int>(n);
    pos_ += n;
    // The parser may back up into the block it was last given, never further.
    const size_t done = pos_ - n;
    if (done >= released_ + kReleaseStep) {
      file_.Release(released_, done);
      released_ = done;
    }
    return true;
  }
  void BackUp(int count) override { pos_ -= std::min(static_cast<size_t>(count), pos_); }
  bool Skip(int count) override {
    if (count < 0) return false;
    const size_t left = file_.size() - pos_;
    pos_ += std::min(static_cast<size_t>(count), left);
    return static_cast<size_t>(count) <= left;
  }
  int64_t ByteCount() const override { return static_cast<int64_t>(pos_); }

 private:
  static constexpr size_t kBlock = size_t{1} << 20;
  static constexpr size_t kReleaseStep = size_t{8} << 20;
  const MappedFile& file_;
  size_t pos_ = 0, released_ = 0;
};

Status ParseFromStream(google::protobuf::io::ZeroCopyInputStream* stream, const void* data, size_t size,
                       proto::ModelProto* out, const Limits& limits) {
  if (size > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return Error(StatusCode::kInvalidProtobuf, "model is ", size, " bytes; protobuf files are limited to 2 GiB (use external data)");
  }
  google::protobuf::io::CodedInputStream coded(stream);
  coded.SetTotalBytesLimit(std::numeric_limits<int>::max());
  coded.SetRecursionLimit(ParserRecursionLimit(limits));
  if (!out->ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) {
    // The parser does not say why it failed; nesting is the one cause worth naming, since the file is valid.
    const int nesting = SubgraphNesting(data, size, kMaxSubgraphDepthCeiling);
    if (nesting > limits.max_subgraph_depth) return NestingTooDeep(nesting, limits);
    return Error(StatusCode::kInvalidProtobuf, "not a valid ONNX model: protobuf parsing failed");
  }
  if (!out->has_graph()) return Error(StatusCode::kInvalidProtobuf, "not a valid ONNX model: it has no graph");
  return Status::Ok();
}

}  // namespace

Status ParseModelProto(const void* data, size_t size, proto::ModelProto* out, const Limits& limits) {
  google::protobuf::io::ArrayInputStream raw(data, static_cast<int>(std::min<size_t>(size, std::numeric_limits<int>::max())));
  return ParseFromStream(&raw, data, size, out, limits);
}

Result<std::unique_ptr<ir::Model>> BuildModel(proto::ModelProto& mp, const std::string& base_dir,
                                              const Limits& limits) {
  if (mp.ir_version() <= 0) return InvalidGraph("model has no ir_version");
  if (mp.ir_version() > kMaxIrVersion) {
    return InvalidGraph("model IR version ", mp.ir_version(), " is newer than the newest this build reads (",
                        kMaxIrVersion, ")");
  }
  auto model = std::make_unique<ir::Model>();
  auto& meta = model->metadata;
  meta.ir_version = mp.ir_version();
  ONYX_ASSIGN_OR_RETURN(ir::OpsetMap imported, ReadOpsetImports(mp));
  auto opsets = std::make_shared<ir::OpsetMap>(std::move(imported));
  meta.opsets = *opsets;
  meta.producer_name = mp.producer_name();
  meta.producer_version = mp.producer_version();
  meta.domain = mp.domain();
  meta.model_version = mp.model_version();
  meta.doc_string = mp.doc_string();
  for (const auto& kv : mp.metadata_props()) meta.metadata_props.emplace_back(kv.key(), kv.value());
  meta.graph_name = mp.graph().name();
  meta.graph_doc_string = mp.graph().doc_string();
  model->base_dir = base_dir;

  // Model-local functions are inlined before the IR is built, so the rest of Onyx sees only operators.
  ONYX_RETURN_IF_ERROR(InlineLocalFunctions(mp, *opsets, limits));
  meta.opsets = *opsets;

  ExternalDataResolver resolver(base_dir, limits);
  Builder builder(&resolver, opsets, limits);
  model->graph = std::make_shared<ir::Graph>();
  ONYX_RETURN_IF_ERROR(builder.BuildGraph(*mp.mutable_graph(), model->graph.get(), 0));
  CollectImplicitInputs(model->graph.get());
  return model;
}

Result<std::unique_ptr<ir::Model>> LoadModelFromBytes(const void* data, size_t size, const std::string& base_dir,
                                                      const Limits& limits) {
  if (data == nullptr || size == 0) return Error(StatusCode::kInvalidProtobuf, "model bytes are empty");
  proto::ModelProto mp;
  ONYX_RETURN_IF_ERROR(ParseModelProto(data, size, &mp, limits));
  return BuildModel(mp, base_dir, limits);
}

Result<std::unique_ptr<ir::Model>> LoadModel(const std::string& path, const Limits& limits) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Error(StatusCode::kNoSuchFile, "no such file: '", path, "'");
  if (std::filesystem::is_directory(path, ec)) {
    return Error(StatusCode::kNoSuchFile, "'", path, "' is a folder, not a model file");
  }
  ONYX_ASSIGN_OR_RETURN(auto file, MappedFile::Open(path));
  if (file->size() == 0) return Error(StatusCode::kInvalidProtobuf, "'", path, "' is empty, not an ONNX model");
  proto::ModelProto mp;
  ReleasingInputStream stream(*file);
  Status st = ParseFromStream(&stream, file->data(), file->size(), &mp, limits);
  if (!st.ok()) return st.WithContext("'" + path + "'");
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  auto model = BuildModel(mp, dir, limits);
  if (!model.ok()) return model.status();
  return model;
}

}  // namespace onyx::format
