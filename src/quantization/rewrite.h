// The graph rewrites of the quantizer (one model in memory, changed in place), shared by quantizer.cc.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ir/model.h"
#include "onyx/quantization.hpp"

namespace onyx::quant {

// A float range per activation tensor, from calibration.
using RangeMap = std::map<std::string, std::pair<float, float>>;

// How the quantizer names a node (exclusion lists, reports): its name, or its first output's when it has none.
std::string NodeId(const ir::Node& node);

// The nodes of the main graph the options select for quantizing, in topological order.
Result<std::vector<ir::Node*>> SelectNodes(const ir::Graph& graph, const QuantizeOptions& options);

// The non-constant float tensors a static rewrite of `nodes` quantizes, whose ranges calibration must find.
std::vector<std::string> ActivationsToCalibrate(const std::vector<ir::Node*>& nodes, const QuantizeOptions& options);

// Static quantization: QDQ pairs (or QOperator nodes) for `nodes` with the ranges given. Records the nodes it
// quantized, and each quantized activation (float name, the quantized model's dequantized name, first consumer).
struct StaticRewriteInfo {
  std::vector<std::string> quantized_nodes;
  struct Tensor {
    std::string name, dequantized, node;
  };
  std::vector<Tensor> tensors;
};
Status RewriteStatic(ir::Model& model, const std::vector<ir::Node*>& nodes, const RangeMap& ranges,
                     const QuantizeOptions& options, StaticRewriteInfo* info, std::vector<std::string>* notes);

// Dynamic quantization: int8 weights, activations quantized when the model runs (DynamicQuantizeLinear,
// MatMulInteger / ConvInteger, then the scales multiplied back in).
Status RewriteDynamic(ir::Model& model, const std::vector<ir::Node*>& nodes, const QuantizeOptions& options,
                      std::vector<std::string>* quantized_nodes, std::vector<std::string>* notes);

// Raises the model's ai.onnx opset to at least `want` (and its IR version to match) when every node means the
// same at the new version; false (nothing changed) otherwise, with the reason in *why.
bool RaiseOpset(ir::Model& model, int64_t want, std::string* why);

// Helpers the rewrites share.
// `base` itself when no value of the graph has that name, else a fresh variant of it.
std::string FreshName(ir::Graph& graph, const std::string& base);
// Weight quantization of a float tensor, per tensor (axis < 0) or along `axis`: the integer tensor, and its scales
// and zero points (one, or one per channel).
struct QuantizedWeight {
  Tensor data;
  std::vector<float> scales;
  std::vector<int32_t> zero_points;
};
Result<QuantizedWeight> QuantizeWeight(const Tensor& w, int64_t axis, QType type, bool symmetric, bool reduce_range);
// A scalar (or 1-D when `vector`) tensor of the type's zero points.
Tensor ZeroPointTensor(QType type, const std::vector<int32_t>& zps, bool vector);
Tensor ScaleTensor(const std::vector<float>& scales, bool vector);
bool WeightSymmetric(const QuantizeOptions& options);

}  // namespace onyx::quant
