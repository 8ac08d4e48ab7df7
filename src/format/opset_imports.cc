#include "format/opset_imports.h"

#include <string>
#include <vector>

#include "ir/op_schema.h"

namespace onyx::format {

namespace {

// IR version 3 introduced ModelProto.opset_import; older files imply ai.onnx opset 1.
constexpr int64_t kFirstIrVersionWithOpsetImport = 3;

using Nodes = google::protobuf::RepeatedPtrField<proto::NodeProto>;
using Imports = google::protobuf::RepeatedPtrField<proto::OperatorSetIdProto>;

// `who` is "model" or "function 'name'".
Status ReadImports(const Imports& imports, const std::string& who, ir::OpsetMap* out) {
  for (const auto& op : imports) {
    std::string domain = ir::CanonicalDomain(op.domain());
    std::string shown = ir::DomainDisplayName(domain);
    if (op.version() <= 0) {
      return InvalidGraph(who, " imports opset ", op.version(), " of domain '", shown, "'; versions start at 1");
    }
    if (auto newest = ir::NewestKnownOpset(domain); newest && op.version() > *newest) {
      return InvalidGraph(who, " imports opset ", op.version(), " of domain '", shown,
                          "' but this build supports up to ", *newest);
    }
    (*out)[domain] = op.version();
  }
  return Status::Ok();
}

std::string NodeLabel(const proto::NodeProto& n) {
  const std::string& name = !n.name().empty() ? n.name() : (n.output_size() > 0 ? n.output(0) : n.op_type());
  return "node '" + name + "' (" + n.op_type() + ")";
}

// Checks the nodes of `top` and of every subgraph below them. `function` is the opset_import of the function
// whose body `top` is, or null for the main graph. Iterative: nesting depth is bounded only by the parser.
Status CheckNodeDomains(const Nodes& top, const ir::OpsetMap& model, const ir::OpsetMap* function,
                        const std::string& function_name) {
  std::vector<const Nodes*> pending{&top};
  while (!pending.empty()) {
    const Nodes* nodes = pending.back();
    pending.pop_back();
    for (const auto& n : *nodes) {
      std::string domain = ir::CanonicalDomain(n.domain());
      if (!model.count(domain) && !(function && function->count(domain))) {
        std::string shown = ir::DomainDisplayName(domain);
        if (function) {
          return InvalidGraph("function '", function_name, "': ", NodeLabel(n), " uses domain '", shown,
                              "', for which neither the function nor the model declares an opset (opset_import)");
        }
        return InvalidGraph(NodeLabel(n), " uses domain '", shown,
                            "', for which the model declares no opset (no opset_import entry)");
      }
      for (const auto& a : n.attribute()) {
        if (a.has_g()) pending.push_back(&a.g().node());
        for (const auto& g : a.graphs()) pending.push_back(&g.node());
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<ir::OpsetMap> ReadOpsetImports(const proto::ModelProto& mp) {
  ir::OpsetMap opsets;
  ONYX_RETURN_IF_ERROR(ReadImports(mp.opset_import(), "model", &opsets));
  if (mp.opset_import_size() == 0 && mp.ir_version() < kFirstIrVersionWithOpsetImport) opsets[""] = 1;
  ONYX_RETURN_IF_ERROR(CheckNodeDomains(mp.graph().node(), opsets, nullptr, {}));
  for (const auto& f : mp.functions()) {
    ir::OpsetMap own;
    ONYX_RETURN_IF_ERROR(ReadImports(f.opset_import(), "function '" + f.name() + "'", &own));
    ONYX_RETURN_IF_ERROR(CheckNodeDomains(f.node(), opsets, &own, f.name()));
  }
  return opsets;
}

}  // namespace onyx::format
