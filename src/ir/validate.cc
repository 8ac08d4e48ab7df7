#include "ir/validate.h"

#include <set>

#include "ir/op_schema.h"

namespace onyx::ir {

namespace {

// Onyx's own operators (copy nodes, fused operators) are checked by their kernels.
bool IsOnyxDomain(const std::string& d) { return d == "com.onyx"; }

Status CheckAgainstSchema(const Node& node, const OpsetMap& opsets) {
  const std::string& domain = node.domain();
  auto imported = opsets.find(domain);
  if (imported == opsets.end() && !IsOnyxDomain(domain)) {
    return InvalidGraph(node.Describe(), ": domain '", domain.empty() ? "ai.onnx" : domain,
                        "' is not imported by the model (no opset_import entry)");
  }
  if (!IsStandardDomain(domain)) return Status::Ok();  // custom domains: the kernel registry decides
  if (!OperatorExists(domain, node.op_type())) {
    if (SchemaTableIsPartial()) {
      return InvalidGraph(node.Describe(), ": operator '", node.op_type(), "' of domain '",
                          domain.empty() ? "ai.onnx" : domain,
                          "' is not in this minimal build's operator list (rebuild with it in ONYX_OPS_CONFIG)");
    }
    return InvalidGraph(node.Describe(), ": unknown operator '", node.op_type(), "' in domain '",
                        domain.empty() ? "ai.onnx" : domain, "'");
  }
  const OpSchema* schema = FindSchema(domain, node.op_type(), imported->second);
  if (schema == nullptr) {
    return InvalidGraph(node.Describe(), ": operator '", node.op_type(), "' does not exist at opset ", imported->second,
                        " of domain '", domain.empty() ? "ai.onnx" : domain, "'");
  }
  // Trailing omitted inputs do not count.
  int n_in = static_cast<int>(node.inputs().size());
  while (n_in > 0 && node.inputs()[static_cast<size_t>(n_in - 1)] == nullptr) --n_in;
  if (n_in < schema->min_inputs || n_in > schema->max_inputs) {
    return InvalidGraph(node.Describe(), ": has ", n_in, " inputs, but opset ", schema->since_version, " of ",
                        node.op_type(), " takes ", schema->min_inputs,
                        schema->max_inputs == schema->min_inputs ? std::string()
                            : " to " + (schema->max_inputs >= (1 << 30) ? std::string("any number") : std::to_string(schema->max_inputs)));
  }
  int n_out = static_cast<int>(node.outputs().size());
  if (n_out < schema->min_outputs || n_out > schema->max_outputs) {
    return InvalidGraph(node.Describe(), ": has ", n_out, " outputs, but ", node.op_type(), " makes ",
                        schema->min_outputs, " to ", schema->max_outputs);
  }
  for (const auto& [name, attr] : node.attributes()) {
    const AttrSchema* spec = nullptr;
    for (const AttrSchema& a : schema->attributes) {
      if (name == a.name) spec = &a;
    }
    if (spec == nullptr) {
      return InvalidGraph(node.Describe(), ": unknown attribute '", name, "' for ", node.op_type(), " (opset ",
                          schema->since_version, ")");
    }
    if (static_cast<int>(attr.type) != spec->type) {
      return InvalidGraph(node.Describe(), ": attribute '", name, "' should be ",
                          AttrTypeName(static_cast<AttrType>(spec->type)), " but is ", AttrTypeName(attr.type));
    }
  }
  for (const AttrSchema& a : schema->attributes) {
    if (a.required && !node.attribute(a.name)) {
      return InvalidGraph(node.Describe(), ": required attribute '", a.name, "' is missing");
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateGraph(const Graph& graph, const OpsetMap& opsets) {
  std::set<const Value*> produced;
  for (const auto& node : graph.nodes()) {
    if (node->op_type().empty()) return InvalidGraph("graph '", graph.name(), "' has a node without an op_type");
    ONYX_RETURN_IF_ERROR(CheckAgainstSchema(*node, opsets));
    for (const Value* out : node->outputs()) {
      if (!out) continue;
      if (!produced.insert(out).second) {
        return InvalidGraph(node->Describe(), ": output '", out->name(), "' is already produced by ",
                            out->producer() ? out->producer()->Describe() : std::string("another node"));
      }
      if (out->is_graph_input()) {
        return InvalidGraph(node->Describe(), ": output '", out->name(), "' is also a graph input");
      }
      if (out->initializer()) {
        return InvalidGraph(node->Describe(), ": output '", out->name(), "' is also an initializer");
      }
    }
  }
  auto available = [&](const Value* v) {
    return v->producer() || v->is_graph_input() || v->initializer() ||
           (graph.parent() && graph.parent()->FindValueInScope(v->name()));
  };
  for (const auto& node : graph.nodes()) {
    for (const Value* in : node->inputs()) {
      if (in && !available(in)) {
        return InvalidGraph(node->Describe(), ": input '", in->name(),
                            "' is not produced by any node and is not a graph input or initializer");
      }
    }
    for (const auto& sub : node->subgraphs()) {
      Status st = ValidateGraph(*sub, opsets);
      if (!st.ok()) return st.WithContext("in a subgraph of " + node->Describe());
    }
  }
  for (const Value* out : graph.outputs()) {
    if (!available(out)) return InvalidGraph("graph output '", out->name(), "' is not produced by any node");
  }
  auto order = graph.TopologicalOrder();
  if (!order.ok()) return order.status();
  return Status::Ok();
}

Status ValidateModel(const Model& model) { return ValidateGraph(*model.graph, model.metadata.opsets); }

}  // namespace onyx::ir
