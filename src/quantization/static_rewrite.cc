// Static quantization of a graph: QuantizeLinear/DequantizeLinear around the activations the chosen nodes read,
// int8 weights behind DequantizeLinear, int32 biases, and in QOperator form QLinearConv / QLinearMatMul. Names
// follow onnxruntime.quantization (X_QuantizeLinear_Output, W_quantized, B_quantized_scale, ...), so tools that
// read its models read these.
#include <algorithm>
#include <cmath>
#include <limits>

#include "optimizer/graph_pass.h"
#include "quantization/rewrite.h"

namespace onyx::quant {

namespace {

bool IsConstantFloat(const ir::Value* v) {
  return v && v->initializer() && v->initializer()->type() == DataType::kFloat;
}

bool IsFloatActivation(const ir::Value* v) {
  return v && !v->initializer() && v->type().kind == ir::Type::Kind::kTensor && v->type().elem_type == DataType::kFloat;
}

// The inputs of a node that carry data to quantize (Clip's bounds do not).
std::vector<size_t> DataInputs(const ir::Node& n) {
  if (n.op_type() == "Clip" || n.op_type() == "MaxPool" || n.op_type() == "AveragePool" ||
      n.op_type() == "GlobalAveragePool" || n.op_type() == "Relu") {
    return {0};
  }
  if (n.op_type() == "Conv" || n.op_type() == "Gemm" || n.op_type() == "MatMul") return {0, 1};
  std::vector<size_t> all;
  for (size_t i = 0; i < n.inputs().size(); ++i) all.push_back(i);
  return all;
}

bool HasWeight(const ir::Node& n) { return n.op_type() == "Conv" || n.op_type() == "Gemm" || n.op_type() == "MatMul"; }

// The channel axis of a node's weight for per-channel quantization, as onnxruntime picks it.
int64_t WeightAxis(const ir::Node& n, const Tensor& w) {
  if (n.op_type() == "Conv") return 0;
  if (n.op_type() == "Gemm") return opt::AttrInt(n, "transB", 0) ? 0 : 1;
  return w.rank() - 1;  // MatMul: the output column
}

// Gemm's bias can be int32 only when it is added as is.
bool GemmBiasQuantizable(const ir::Node& n) {
  const ir::Attribute* alpha = n.attribute("alpha");
  const ir::Attribute* beta = n.attribute("beta");
  return (!alpha || alpha->f == 1.0f) && (!beta || beta->f == 1.0f) && opt::AttrInt(n, "transA", 0) == 0;
}

// The operators the QOperator form writes as integer operators (the standard QLinearConv/QLinearMatMul, and the
// com.microsoft ones onnxruntime writes for the rest); the others stay in QDQ form.
bool UsesQOperator(const ir::Node& n, const QuantizeOptions& options) {
  static const std::set<std::string> ops = {"Conv",        "MatMul", "Gemm", "Add", "Mul", "GlobalAveragePool",
                                            "AveragePool", "Concat"};
  return options.format == Format::kQOperator && ops.count(n.op_type());
}

class StaticRewriter {
 public:
  StaticRewriter(ir::Model& model, const RangeMap& ranges, const QuantizeOptions& options, StaticRewriteInfo* info)
      : graph_(*model.graph), ranges_(ranges), options_(options), info_(info) {
    opset_ = graph_.opsets().count("") ? graph_.opsets().at("") : 13;
  }

  Status Rewrite(ir::Node* node);

 private:
  struct QTensor {
    std::string q, scale, zero_point, dq;
    QuantParams params;
  };
  struct QWeight {
    std::string q, scale, zero_point, dq;
    std::vector<float> scales;
    bool per_channel = false;
  };

  Result<const QTensor*> Activation(ir::Value* v, const std::string& reader);
  Result<QWeight*> Weight(ir::Value* w, int64_t axis, bool with_dq);
  // The int32 bias (scale x_scale * w_scale) behind a DequantizeLinear, or its raw name for QLinearConv.
  Result<std::string> Bias(ir::Value* b, const QTensor& x, const QWeight& w, bool with_dq);
  Status ToQLinear(ir::Node* node, const std::map<size_t, const QTensor*>& acts, QWeight* w, const std::string& bias);
  ir::Node* Add(const std::string& name, const std::string& op, const std::vector<std::string>& in,
                const std::vector<std::string>& out, std::map<std::string, ir::Attribute> attrs = {}) {
    return graph_.AddNode(name, op, "", opset_, in, out, std::move(attrs));
  }
  Result<std::string> Constant(const std::string& base, Tensor t) {
    ONYX_ASSIGN_OR_RETURN(ir::Value * v, graph_.AddConstant(base, std::move(t)));
    return v->name();
  }
  // AddConstant always decorates the name; onnxruntime's names are kept where they are free.
  Result<std::string> NamedConstant(const std::string& base, Tensor t) {
    const std::string name = FreshName(graph_, base);
    ir::Value* v = graph_.GetOrCreateValue(name);
    ONYX_RETURN_IF_ERROR(graph_.MakeConstant(v, std::move(t)));
    return name;
  }

  ir::Graph& graph_;
  const RangeMap& ranges_;
  const QuantizeOptions& options_;
  StaticRewriteInfo* info_;
  int64_t opset_;
  std::map<std::string, QTensor> activations_;
  std::map<std::pair<std::string, int64_t>, QWeight> weights_;
};

Result<const StaticRewriter::QTensor*> StaticRewriter::Activation(ir::Value* v, const std::string& reader) {
  if (auto it = activations_.find(v->name()); it != activations_.end()) return &it->second;
  auto range = ranges_.find(v->name());
  if (range == ranges_.end()) return static_cast<const QTensor*>(nullptr);
  QTensor t;
  t.params = ComputeQuantParams(range->second.first, range->second.second, options_.activation_type,
                                options_.activation_symmetric, false);
  const std::string& name = v->name();
  ONYX_ASSIGN_OR_RETURN(t.scale, NamedConstant(name + "_scale", Tensor::Scalar<float>(t.params.scale)));
  ONYX_ASSIGN_OR_RETURN(
      t.zero_point,
      NamedConstant(name + "_zero_point", ZeroPointTensor(options_.activation_type, {t.params.zero_point}, false)));
  t.q = FreshName(graph_, name + "_QuantizeLinear_Output");
  Add(name + "_QuantizeLinear", "QuantizeLinear", {name, t.scale, t.zero_point}, {t.q});
  t.dq = FreshName(graph_, name + "_DequantizeLinear_Output");
  Add(name + "_DequantizeLinear", "DequantizeLinear", {t.q, t.scale, t.zero_point}, {t.dq});
  info_->tensors.push_back({name, t.dq, reader});
  return &activations_.emplace(name, t).first->second;
}

Result<StaticRewriter::QWeight*> StaticRewriter::Weight(ir::Value* w, int64_t axis, bool with_dq) {
  auto key = std::make_pair(w->name(), axis);
  auto it = weights_.find(key);
  if (it == weights_.end()) {
    ONYX_ASSIGN_OR_RETURN(QuantizedWeight qw, QuantizeWeight(*w->initializer(), axis, options_.weight_type,
                                                             WeightSymmetric(options_), options_.reduce_range));
    QWeight q;
    q.per_channel = axis >= 0;
    q.scales = qw.scales;
    const std::string& name = w->name();
    ONYX_ASSIGN_OR_RETURN(q.q, NamedConstant(name + "_quantized", std::move(qw.data)));
    ONYX_ASSIGN_OR_RETURN(q.scale, NamedConstant(name + "_scale", ScaleTensor(qw.scales, q.per_channel)));
    ONYX_ASSIGN_OR_RETURN(
        q.zero_point,
        NamedConstant(name + "_zero_point", ZeroPointTensor(options_.weight_type, qw.zero_points, q.per_channel)));
    it = weights_.emplace(key, std::move(q)).first;
  }
  QWeight& q = it->second;
  if (with_dq && q.dq.empty()) {
    std::map<std::string, ir::Attribute> attrs;
    if (q.per_channel) attrs["axis"] = opt::IntAttr("axis", axis);
    q.dq = FreshName(graph_, w->name() + "_DequantizeLinear_Output");
    Add(w->name() + "_DequantizeLinear", "DequantizeLinear", {q.q, q.scale, q.zero_point}, {q.dq}, std::move(attrs));
  }
  return &q;
}

Result<std::string> StaticRewriter::Bias(ir::Value* b, const QTensor& x, const QWeight& w, bool with_dq) {
  const Tensor& bias = *b->initializer();
  if (bias.rank() != 1 || (w.per_channel && static_cast<size_t>(bias.dim(0)) != w.scales.size())) return std::string();
  std::vector<float> scales;
  std::vector<int32_t> q(static_cast<size_t>(bias.size()));
  for (size_t c = 0; c < q.size(); ++c) {
    const float s = x.params.scale * w.scales[w.per_channel ? c : 0];
    if (c == 0 || w.per_channel) scales.push_back(s);
    const double r = std::nearbyint(static_cast<double>(bias.values<float>()[c]) / static_cast<double>(s));
    q[c] = static_cast<int32_t>(
        std::clamp<double>(r, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
  }
  const std::string base = b->name() + "_quantized";
  ONYX_ASSIGN_OR_RETURN(std::string qname, NamedConstant(base, Tensor::FromVector<int32_t>({bias.dim(0)}, q)));
  if (!with_dq) return qname;
  ONYX_ASSIGN_OR_RETURN(std::string scale, NamedConstant(base + "_scale", ScaleTensor(scales, w.per_channel)));
  std::vector<int32_t> zeros(w.per_channel ? scales.size() : 1, 0);
  Shape zshape = w.per_channel ? Shape{static_cast<int64_t>(zeros.size())} : Shape{};
  ONYX_ASSIGN_OR_RETURN(std::string zp,
                        NamedConstant(base + "_zero_point", Tensor::FromVector<int32_t>(zshape, zeros)));
  std::map<std::string, ir::Attribute> attrs;
  if (w.per_channel) attrs["axis"] = opt::IntAttr("axis", 0);
  const std::string out = FreshName(graph_, base + "_DequantizeLinear_Output");
  Add(base + "_DequantizeLinear", "DequantizeLinear", {qname, scale, zp}, {out}, std::move(attrs));
  return out;
}

// Replaces a node by its integer operator reading the quantized inputs (and weight, and int32 bias), followed by a
// DequantizeLinear that writes the node's output under its old name (so float readers are unchanged), and records
// the quantized output so quantized readers take it directly.
Status StaticRewriter::ToQLinear(ir::Node* node, const std::map<size_t, const QTensor*>& acts, QWeight* w,
                                 const std::string& bias) {
  ir::Value* y = node->output(0);
  auto range = ranges_.find(y->name());
  QTensor out;
  out.params = ComputeQuantParams(range->second.first, range->second.second, options_.activation_type,
                                  options_.activation_symmetric, false);
  ONYX_ASSIGN_OR_RETURN(out.scale, NamedConstant(y->name() + "_scale", Tensor::Scalar<float>(out.params.scale)));
  ONYX_ASSIGN_OR_RETURN(out.zero_point,
                        NamedConstant(y->name() + "_zero_point",
                                      ZeroPointTensor(options_.activation_type, {out.params.zero_point}, false)));
  out.q = FreshName(graph_, y->name() + "_quantized");
  out.dq = y->name();
  const std::string y_name = y->name(), node_name = NodeId(*node), op = node->op_type();
  auto operand = [&](size_t i, std::vector<std::string>* to) {
    if (i == 1 && w) {
      to->insert(to->end(), {w->q, w->scale, w->zero_point});
    } else {
      const QTensor* t = acts.at(i);
      to->insert(to->end(), {t->q, t->scale, t->zero_point});
    }
  };
  std::vector<std::string> inputs;
  std::map<std::string, ir::Attribute> attrs;
  std::string qop, domain = "com.microsoft";
  if (op == "Concat") {
    inputs = {out.scale, out.zero_point};
    for (size_t i = 0; i < node->inputs().size(); ++i) operand(i, &inputs);
    attrs = node->attributes();
    qop = "QLinearConcat";
  } else {
    operand(0, &inputs);
    if (op == "Conv" || op == "MatMul" || op == "Gemm" || op == "Add" || op == "Mul") operand(1, &inputs);
    if (op == "Gemm") inputs.push_back(bias);
    inputs.insert(inputs.end(), {out.scale, out.zero_point});
    if (op == "Conv") {
      if (!bias.empty()) inputs.push_back(bias);
      attrs = node->attributes();
      qop = "QLinearConv";
      domain = "";
    } else if (op == "MatMul") {
      qop = "QLinearMatMul";
      domain = "";
    } else if (op == "Gemm") {
      for (const char* a : {"alpha", "transA", "transB"}) {
        if (const ir::Attribute* at = node->attribute(a)) attrs[a] = *at;
      }
      qop = "QGemm";
    } else if (op == "GlobalAveragePool") {
      attrs["channels_last"] = opt::IntAttr("channels_last", 0);
      qop = "QLinearGlobalAveragePool";
    } else {
      if (op == "AveragePool") attrs = node->attributes();
      qop = "QLinear" + op;  // QLinearAdd, QLinearMul, QLinearAveragePool
    }
  }
  graph_.RemoveNode(node);
  graph_.AddNode(node_name + "_quant", qop, domain, domain.empty() ? opset_ : 1, inputs, {out.q}, std::move(attrs));
  Add(y_name + "_DequantizeLinear", "DequantizeLinear", {out.q, out.scale, out.zero_point}, {y_name});
  activations_[y_name] = out;
  return Status::Ok();
}

// Whether the node can be an integer operator: its inputs quantized as that operator needs.
bool QOperatorFits(const ir::Node& node, const std::map<size_t, const void*>& acts, bool has_weight, bool bias_ok) {
  const std::string& op = node.op_type();
  const bool x = acts.count(0) > 0;
  if (op == "Conv") return x && has_weight;
  if (op == "MatMul") return x && (has_weight || acts.count(1));
  if (op == "Gemm") {
    const ir::Value* c = node.input(2);
    return x && has_weight && GemmBiasQuantizable(node) && (c == nullptr || bias_ok);
  }
  if (op == "Add" || op == "Mul") return node.inputs().size() == 2 && x && acts.count(1);
  if (op == "Concat") return acts.size() == node.inputs().size();
  return x;  // pools
}

Status StaticRewriter::Rewrite(ir::Node* node) {
  const std::string node_name = NodeId(*node);
  // Activations first: each float input with a calibrated range.
  std::map<size_t, const QTensor*> acts;
  for (size_t i : DataInputs(*node)) {
    ir::Value* v = node->input(i);
    if (!IsFloatActivation(v)) continue;
    ONYX_ASSIGN_OR_RETURN(const QTensor* t, Activation(v, node_name));
    if (t) acts[i] = t;
  }
  const bool has_weight = HasWeight(*node) && IsConstantFloat(node->input(1)) && acts.count(0);
  const bool bias_ok = node->op_type() == "Conv" || (node->op_type() == "Gemm" && GemmBiasQuantizable(*node));
  int64_t axis = -1;
  if (has_weight && options_.per_channel && node->input(1)->initializer()->rank() >= 2) {
    axis = WeightAxis(*node, *node->input(1)->initializer());
  }
  // An int32 bias needs one value per weight scale (a broadcast bias of one value stays float).
  const bool has_bias = has_weight && bias_ok && IsConstantFloat(node->input(2)) &&
                        node->input(2)->initializer()->rank() == 1 &&
                        (axis < 0 || node->input(2)->initializer()->dim(0) == node->input(1)->initializer()->dim(axis));
  // QOperator needs the output's range too; without it the node stays in QDQ form.
  std::map<size_t, const void*> present(acts.begin(), acts.end());
  const bool qop = UsesQOperator(*node, options_) && QOperatorFits(*node, present, has_weight, has_bias) &&
                   ranges_.count(node->output(0)->name());
  QWeight* weight = nullptr;
  std::string bias;
  if (has_weight) {
    ONYX_ASSIGN_OR_RETURN(weight, Weight(node->input(1), axis, !qop));
    if (has_bias) {
      ONYX_ASSIGN_OR_RETURN(bias, Bias(node->input(2), *acts[0], *weight, !qop));
    }
  }
  if (acts.empty() && !weight) return Status::Ok();
  info_->quantized_nodes.push_back(node_name);
  if (qop) return ToQLinear(node, acts, weight, bias);
  for (const auto& [i, t] : acts) graph_.ReplaceInput(node, i, graph_.FindValue(t->dq));
  if (weight) graph_.ReplaceInput(node, 1, graph_.FindValue(weight->dq));
  if (!bias.empty()) graph_.ReplaceInput(node, 2, graph_.FindValue(bias));
  return Status::Ok();
}

}  // namespace

std::vector<std::string> ActivationsToCalibrate(const std::vector<ir::Node*>& nodes, const QuantizeOptions& options) {
  std::set<std::string> seen;
  std::vector<std::string> names;
  auto add = [&](const ir::Value* v) {
    if (IsFloatActivation(v) && seen.insert(v->name()).second) names.push_back(v->name());
  };
  for (const ir::Node* n : nodes) {
    for (size_t i : DataInputs(*n)) add(n->input(i));
    if (UsesQOperator(*n, options)) add(n->output(0));
  }
  return names;
}

namespace {

// A Relu can be left to the quantization of its input's producer, as onnxruntime does: when the producer is
// quantized, the Relu is its only reader, and every reader of the Relu's output quantizes it (asymmetrically, with
// the Relu output's range [0, max], so its zero point is qmin and QuantizeLinear clamps negatives to 0). The
// producer's output is then quantized once, at twice the resolution, instead of twice.
bool FoldableRelu(const ir::Node& relu, const std::set<const ir::Node*>& selected, const RangeMap& ranges,
                  const QuantizeOptions& options) {
  if (relu.op_type() != "Relu" || options.activation_symmetric) return false;
  const ir::Value* x = relu.input(0);
  const ir::Value* y = relu.output(0);
  if (!x || !y || !x->producer() || x->is_graph_output() || y->is_graph_output() || x->consumers().size() != 1) {
    return false;
  }
  static const std::set<std::string> producers = {"Conv", "MatMul", "Gemm", "Add"};
  if (!selected.count(x->producer()) || !producers.count(x->producer()->op_type())) return false;
  if (x->producer()->outputs().size() != 1) return false;
  auto range = ranges.find(y->name());
  if (range == ranges.end() || range->second.first < 0 || y->consumers().empty()) return false;
  for (const ir::Node* c : y->consumers()) {
    if (!selected.count(c)) return false;
    bool quantizes = false;
    for (size_t i : DataInputs(*c)) quantizes |= c->input(i) == y;
    if (!quantizes) return false;
  }
  return true;
}

}  // namespace

Status RewriteStatic(ir::Model& model, const std::vector<ir::Node*>& nodes, const RangeMap& ranges,
                     const QuantizeOptions& options, StaticRewriteInfo* info, std::vector<std::string>* notes) {
  ir::Graph& graph = *model.graph;
  const std::set<const ir::Node*> selected(nodes.begin(), nodes.end());
  std::vector<ir::Node*> kept;
  int folded = 0;
  for (ir::Node* n : nodes) {
    if (!FoldableRelu(*n, selected, ranges, options)) {
      kept.push_back(n);
      continue;
    }
    ir::Value* x = n->input(0);
    ir::Value* y = n->output(0);
    ir::Node* producer = x->producer();
    graph.RemoveNode(n);
    graph.RenameOutput(producer, x, y);
    ++folded;
  }
  if (folded > 0) {
    notes->push_back(MakeString(folded, " Relu nodes folded into the quantization of their inputs' producers"));
  }
  StaticRewriter rewriter(model, ranges, options, info);
  for (ir::Node* n : kept) ONYX_RETURN_IF_ERROR(rewriter.Rewrite(n));
  // QOperator nodes read the quantized values directly: drop the DequantizeLinear (and then QuantizeLinear)
  // nodes nothing reads any more.
  for (bool removed = true; removed;) {
    removed = false;
    for (const auto& n : graph.nodes()) {
      if (n->op_type() != "DequantizeLinear" && n->op_type() != "QuantizeLinear") continue;
      const ir::Value* out = n->output(0);
      if (out && out->consumers().empty() && !out->is_graph_output()) {
        graph.RemoveNode(n.get());
        removed = true;
        break;
      }
    }
  }
  return Status::Ok();
}

}  // namespace onyx::quant
