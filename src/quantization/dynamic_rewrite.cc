// Dynamic quantization, in the form onnxruntime.quantization.quantize_dynamic writes: int8 weights stored once,
// the activation quantized to uint8 as the model runs (DynamicQuantizeLinear), an integer product (MatMulInteger,
// ConvInteger) and the two scales multiplied back in.
#include <algorithm>

#include "optimizer/graph_pass.h"
#include "quantization/rewrite.h"

namespace onyx::quant {

namespace {

class DynamicRewriter {
 public:
  DynamicRewriter(ir::Model& model, const QuantizeOptions& options) : graph_(*model.graph), options_(options) {
    opset_ = graph_.opsets().count("") ? graph_.opsets().at("") : 13;
  }
  // True when the node was rewritten.
  Result<bool> Rewrite(ir::Node* node);

 private:
  struct QInput {
    std::string q, scale, zero_point;
  };
  const QInput& Input(const std::string& name) {
    auto it = inputs_.find(name);
    if (it != inputs_.end()) return it->second;
    QInput in{FreshName(graph_, name + "_quantized"), FreshName(graph_, name + "_scale"),
              FreshName(graph_, name + "_zero_point")};
    Add(name + "_QuantizeLinear", "DynamicQuantizeLinear", {name}, {in.q, in.scale, in.zero_point});
    return inputs_.emplace(name, in).first->second;
  }
  void Add(const std::string& name, const std::string& op, const std::vector<std::string>& in,
           const std::vector<std::string>& out, std::map<std::string, ir::Attribute> attrs = {}) {
    graph_.AddNode(name, op, "", opset_, in, out, std::move(attrs));
  }
  Result<std::string> Constant(const std::string& base, Tensor t) {
    const std::string name = FreshName(graph_, base);
    ONYX_RETURN_IF_ERROR(graph_.MakeConstant(graph_.GetOrCreateValue(name), std::move(t)));
    return name;
  }

  ir::Graph& graph_;
  const QuantizeOptions& options_;
  int64_t opset_;
  std::map<std::string, QInput> inputs_;
};

Result<bool> DynamicRewriter::Rewrite(ir::Node* node) {
  const std::string op = node->op_type();
  ir::Value* x = node->input(0);
  ir::Value* w = node->input(1);
  if (!x || x->initializer() || !w || !w->initializer() || w->initializer()->type() != DataType::kFloat) return false;
  Tensor weight = *w->initializer();
  ir::Value* bias = nullptr;
  if (op == "Gemm") {
    const ir::Attribute* alpha = node->attribute("alpha");
    const ir::Attribute* beta = node->attribute("beta");
    if ((alpha && alpha->f != 1.0f) || (beta && beta->f != 1.0f) || opt::AttrInt(*node, "transA", 0) != 0) return false;
    if (weight.rank() != 2) return false;
    if (opt::AttrInt(*node, "transB", 0)) {
      // MatMulInteger has no transpose: store the weight as [K, N].
      Tensor t = Tensor::Create(DataType::kFloat, {weight.dim(1), weight.dim(0)}).take();
      for (int64_t r = 0; r < weight.dim(0); ++r) {
        for (int64_t c = 0; c < weight.dim(1); ++c) {
          t.data<float>()[c * weight.dim(0) + r] = weight.data<float>()[r * weight.dim(1) + c];
        }
      }
      weight = t;
    }
    bias = node->input(2);
  } else if (op == "MatMul") {
    if (weight.rank() != 2) return false;
  } else if (op == "Conv") {
    bias = node->input(2);
  } else {
    return false;
  }
  // Per channel: MatMul/Gemm along the output column, Conv along the output channel.
  bool per_channel = options_.per_channel;
  const int64_t axis = per_channel ? (op == "Conv" ? 0 : 1) : -1;
  ONYX_ASSIGN_OR_RETURN(QuantizedWeight qw, QuantizeWeight(weight, axis, options_.weight_type,
                                                           WeightSymmetric(options_), options_.reduce_range));
  // ConvInteger takes one weight zero point (onnxruntime refuses more): per-channel scales are fine (they are
  // applied after it), per-channel zero points are not, so asymmetric weights fall back to one scale.
  bool scalar_zero_point = !per_channel;
  if (op == "Conv" && per_channel) {
    const bool same =
        std::all_of(qw.zero_points.begin(), qw.zero_points.end(), [&](int32_t z) { return z == qw.zero_points[0]; });
    if (same) {
      qw.zero_points.resize(1);
      scalar_zero_point = true;
    } else {
      ONYX_ASSIGN_OR_RETURN(
          qw, QuantizeWeight(weight, -1, options_.weight_type, WeightSymmetric(options_), options_.reduce_range));
      per_channel = false;
      scalar_zero_point = true;
    }
  }
  const std::string wname = w->name(), yname = node->output(0)->name(), name = NodeId(*node);
  std::map<std::string, ir::Attribute> conv_attrs = node->attributes();
  const QInput in = Input(x->name());
  ONYX_ASSIGN_OR_RETURN(std::string wq, Constant(wname + "_quantized", std::move(qw.data)));
  ONYX_ASSIGN_OR_RETURN(std::string ws, Constant(wname + "_scale", ScaleTensor(qw.scales, per_channel)));
  ONYX_ASSIGN_OR_RETURN(
      std::string wzp,
      Constant(wname + "_zero_point", ZeroPointTensor(options_.weight_type, qw.zero_points, !scalar_zero_point)));
  graph_.RemoveNode(node);
  const std::string product = FreshName(graph_, yname + "_output_quantized");
  if (op == "Conv") {
    Add(name + "_quant", "ConvInteger", {in.q, wq, in.zero_point, wzp}, {product}, std::move(conv_attrs));
  } else {
    Add(name + "_quant", "MatMulInteger", {in.q, wq, in.zero_point, wzp}, {product});
  }
  const std::string as_float = FreshName(graph_, yname + "_output_quantized_cast_output");
  Add(name + "_output_quantized_cast", "Cast", {product}, {as_float}, {{"to", opt::IntAttr("to", 1)}});
  std::string scale = FreshName(graph_, yname + "_scales_mul_output");
  Add(name + "_scales_mul", "Mul", {in.scale, ws}, {scale});
  if (op == "Conv" && per_channel) {
    // One scale per output channel, broadcast over [N, C, spatial...].
    const ir::Value* wv = graph_.FindValue(wq);
    std::vector<int64_t> shape(static_cast<size_t>(wv->initializer()->rank()), 1);
    shape[1] = -1;
    ONYX_ASSIGN_OR_RETURN(
        std::string shape_name,
        Constant(wname + "_scale_shape", Tensor::FromVector<int64_t>({static_cast<int64_t>(shape.size())}, shape)));
    const std::string reshaped = FreshName(graph_, yname + "_scales_reshaped");
    Add(name + "_scales_reshape", "Reshape", {scale, shape_name}, {reshaped});
    scale = reshaped;
  }
  const bool has_bias = bias != nullptr;
  const std::string scaled = has_bias ? FreshName(graph_, yname + "_scaled") : yname;
  Add(name + "_output_scale_mul", "Mul", {as_float, scale}, {scaled});
  if (has_bias) {
    std::string b = bias->name();
    if (op == "Conv" && bias->initializer() && bias->initializer()->rank() == 1) {
      const ir::Value* wv = graph_.FindValue(wq);
      std::vector<int64_t> dims(static_cast<size_t>(wv->initializer()->rank()), 1);
      dims[1] = bias->initializer()->dim(0);
      ONYX_ASSIGN_OR_RETURN(b, Constant(b + "_reshaped", bias->initializer()->Reshaped(dims)));
    }
    Add(name + "_bias_add", "Add", {scaled, b}, {yname});
  }
  return true;
}

}  // namespace

Status RewriteDynamic(ir::Model& model, const std::vector<ir::Node*>& nodes, const QuantizeOptions& options,
                      std::vector<std::string>* quantized_nodes, std::vector<std::string>* notes) {
  DynamicRewriter rewriter(model, options);
  for (ir::Node* n : nodes) {
    const std::string name = NodeId(*n), op = n->op_type();
    ONYX_ASSIGN_OR_RETURN(bool done, rewriter.Rewrite(n));
    if (done) {
      quantized_nodes->push_back(name);
    } else {
      notes->push_back(MakeString("node '", name, "' (", op, ") left in float: dynamic quantization needs a constant ",
                                  "weight (MatMul/Gemm: 2-D; Gemm: alpha = beta = 1, no transA)"));
    }
  }
  return Status::Ok();
}

}  // namespace onyx::quant
