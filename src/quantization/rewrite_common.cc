// What the static and dynamic rewrites share: which nodes to quantize, weight quantization, names, opsets.
#include <algorithm>
#include <cmath>

#include "ir/op_schema.h"
#include "quantization/rewrite.h"

namespace onyx::quant {

std::set<std::string> DefaultOpTypes(Mode mode) {
  if (mode == Mode::kDynamic) return {"MatMul", "Gemm"};
  return {"Conv",  "MatMul", "Gemm", "Add", "Mul", "Relu", "Clip", "MaxPool", "AveragePool", "GlobalAveragePool",
          "Concat"};
}

bool WeightSymmetric(const QuantizeOptions& options) {
  return options.weight_symmetric.value_or(options.weight_type == QType::kInt8);
}

std::string FreshName(ir::Graph& graph, const std::string& base) {
  return graph.FindValueInScope(base) ? graph.UniqueName(base) : base;
}

namespace {

bool IsFloat(const ir::Value* v) {
  if (v == nullptr) return false;
  if (v->initializer()) return v->initializer()->type() == DataType::kFloat;
  return v->type().kind == ir::Type::Kind::kTensor && v->type().elem_type == DataType::kFloat;
}

}  // namespace

std::string NodeId(const ir::Node& node) {
  if (!node.name().empty() || node.outputs().empty() || node.output(0) == nullptr) return node.name();
  return node.output(0)->name();
}

Result<std::vector<ir::Node*>> SelectNodes(const ir::Graph& graph, const QuantizeOptions& options) {
  const std::set<std::string> op_types = options.op_types.empty() ? DefaultOpTypes(options.mode) : options.op_types;
  ONYX_ASSIGN_OR_RETURN(std::vector<ir::Node*> order, graph.TopologicalOrder());
  std::vector<ir::Node*> selected;
  for (ir::Node* n : order) {
    if (!n->domain().empty() && n->domain() != "ai.onnx") continue;
    const std::string id = NodeId(*n);
    if (!op_types.count(n->op_type()) || options.nodes_to_exclude.count(id)) continue;
    if (!options.nodes_to_quantize.empty() && !options.nodes_to_quantize.count(id)) continue;
    if (!IsFloat(n->input(0))) continue;
    selected.push_back(n);
  }
  return selected;
}

Result<QuantizedWeight> QuantizeWeight(const Tensor& w, int64_t axis, QType type, bool symmetric, bool reduce_range) {
  if (w.type() != DataType::kFloat) return InvalidArgument("weight is not float");
  const auto values = w.values<float>();
  int64_t channels = 1, inner = w.size();
  if (axis >= 0) {
    if (axis >= w.rank()) return InvalidArgument("channel axis ", axis, " is out of range for rank ", w.rank());
    channels = w.dim(axis);
    inner = 1;
    for (int64_t d = axis + 1; d < w.rank(); ++d) inner *= w.dim(d);
  }
  const int64_t outer = channels > 0 ? w.size() / (channels * std::max<int64_t>(inner, 1)) : 0;
  QuantizedWeight q;
  ONYX_ASSIGN_OR_RETURN(q.data, Tensor::Create(type == QType::kInt8 ? DataType::kInt8 : DataType::kUint8, w.shape()));
  const auto [qmin, qmax] = QRange(type, symmetric, reduce_range);
  for (int64_t c = 0; c < channels; ++c) {
    float lo = 0, hi = 0;
    bool first = true;
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        const float x = values[static_cast<size_t>((o * channels + c) * inner + i)];
        lo = first ? x : std::min(lo, x);
        hi = first ? x : std::max(hi, x);
        first = false;
      }
    }
    const QuantParams p = ComputeQuantParams(lo, hi, type, symmetric, reduce_range);
    q.scales.push_back(p.scale);
    q.zero_points.push_back(p.zero_point);
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        const size_t k = static_cast<size_t>((o * channels + c) * inner + i);
        // As onnxruntime: x / scale rounded half to even, plus the zero point, clipped to the range.
        const double r = std::nearbyint(static_cast<double>(values[k] / p.scale)) + p.zero_point;
        const auto v = static_cast<int32_t>(std::clamp<double>(r, qmin, qmax));
        if (type == QType::kInt8) {
          q.data.data<int8_t>()[k] = static_cast<int8_t>(v);
        } else {
          q.data.data<uint8_t>()[k] = static_cast<uint8_t>(v);
        }
      }
    }
  }
  return q;
}

Tensor ZeroPointTensor(QType type, const std::vector<int32_t>& zps, bool vector) {
  Shape shape = vector ? Shape{static_cast<int64_t>(zps.size())} : Shape{};
  if (type == QType::kInt8) {
    std::vector<int8_t> v(zps.begin(), zps.end());
    return Tensor::FromVector<int8_t>(shape, v);
  }
  std::vector<uint8_t> v(zps.begin(), zps.end());
  return Tensor::FromVector<uint8_t>(shape, v);
}

Tensor ScaleTensor(const std::vector<float>& scales, bool vector) {
  return Tensor::FromVector<float>(vector ? Shape{static_cast<int64_t>(scales.size())} : Shape{}, scales);
}

namespace {

// Operators whose definitions up to opset 13 changed only in the types they accept or in details a model written
// for an older opset cannot depend on (negative axes, new optional attributes).
const std::set<std::string>& CompatibleUpTo13() {
  static const std::set<std::string> ops = {"Abs",
                                            "Add",
                                            "And",
                                            "ArgMax",
                                            "ArgMin",
                                            "AveragePool",
                                            "BatchNormalization",
                                            "Cast",
                                            "Ceil",
                                            "Concat",
                                            "Constant",
                                            "ConstantOfShape",
                                            "Conv",
                                            "ConvTranspose",
                                            "Div",
                                            "Einsum",
                                            "Elu",
                                            "Equal",
                                            "Erf",
                                            "Exp",
                                            "Expand",
                                            "Flatten",
                                            "Floor",
                                            "Gather",
                                            "Gemm",
                                            "GlobalAveragePool",
                                            "GlobalMaxPool",
                                            "Greater",
                                            "HardSigmoid",
                                            "Identity",
                                            "InstanceNormalization",
                                            "LeakyRelu",
                                            "Less",
                                            "Log",
                                            "LRN",
                                            "MatMul",
                                            "MatMulInteger",
                                            "Max",
                                            "MaxPool",
                                            "Mean",
                                            "Min",
                                            "Mul",
                                            "Neg",
                                            "Not",
                                            "Or",
                                            "Pow",
                                            "PRelu",
                                            "Reciprocal",
                                            "ReduceMax",
                                            "ReduceMean",
                                            "ReduceMin",
                                            "Relu",
                                            "Reshape",
                                            "Selu",
                                            "Shape",
                                            "Sigmoid",
                                            "Sign",
                                            "Softplus",
                                            "Sqrt",
                                            "Sub",
                                            "Sum",
                                            "Tanh",
                                            "Tile",
                                            "Transpose",
                                            "Where",
                                            "Xor",
                                            "QuantizeLinear",
                                            "DequantizeLinear",
                                            "DynamicQuantizeLinear",
                                            "QLinearConv",
                                            "QLinearMatMul",
                                            "ConvInteger"};
  return ops;
}

}  // namespace

bool RaiseOpset(ir::Model& model, int64_t want, std::string* why) {
  auto& opsets = model.metadata.opsets;
  int64_t have = 1;
  if (auto it = opsets.find(""); it != opsets.end()) have = it->second;
  if (auto it = opsets.find("ai.onnx"); it != opsets.end()) have = std::max(have, it->second);
  if (have >= want) return true;
  ir::Graph& graph = *model.graph;
  for (const auto& node : graph.nodes()) {
    if (!node->domain().empty() && node->domain() != "ai.onnx") continue;
    const ir::OpSchema* old_schema = ir::FindSchema("", node->op_type(), have);
    const ir::OpSchema* new_schema = ir::FindSchema("", node->op_type(), want);
    if (old_schema && new_schema && old_schema->since_version == new_schema->since_version) continue;
    if (CompatibleUpTo13().count(node->op_type()) && want <= 13) continue;
    if (node->op_type() == "Softmax" || node->op_type() == "LogSoftmax") {
      // Before opset 13 these flatten to 2-D at `axis` (default 1); from 13 they work along `axis` (default -1).
      // The two agree when the axis is the last one.
      const ir::Attribute* axis = node->attribute("axis");
      const ir::Value* x = node->input(0);
      const auto& shape = x ? x->type().shape : std::nullopt;
      const int64_t rank = shape ? static_cast<int64_t>(shape->size()) : -1;
      const int64_t a = axis ? axis->i : 1;
      if (rank > 0 && (a == rank - 1 || a == -1)) continue;
    }
    *why = MakeString(node->Describe(), " means something else at opset ", want, " than at opset ", have);
    return false;
  }
  opsets.erase("ai.onnx");
  opsets[""] = want;
  graph.set_opsets(std::make_shared<ir::OpsetMap>(opsets));
  const int64_t ir_for_opset = want >= 13 ? 7 : want >= 11 ? 6 : 5;
  model.metadata.ir_version = std::max(model.metadata.ir_version, ir_for_opset);
  return true;
}

}  // namespace onyx::quant
