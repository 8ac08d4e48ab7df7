// Matching helpers of the QDQ passes (qdq_propagation.cc, qdq_fusion.cc, qdq_fusion_elementwise.cc): the
// constant quantization parameters of a QuantizeLinear or DequantizeLinear node, and the pieces every fusion
// repeats (zero points made explicit, int32 biases, checks that a produced operator has a kernel for its types).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "optimizer/graph_pass.h"

namespace onyx::opt::qdq {

bool Is8Bit(DataType t);

// The constant parameters of a QuantizeLinear / DequantizeLinear of the default domain: float scales, a zero point
// (absent means 0) and the 8-bit quantized type. Per tensor (one scale) or per axis (a 1-D scale); blocked
// quantization is not matched.
struct QParams {
  ir::Node* node = nullptr;
  ir::Value* scale_value = nullptr;
  ir::Value* zp_value = nullptr;  // null when the node has no zero point
  std::vector<float> scales;
  std::vector<int32_t> zero_points;  // as many as scales (zeros when absent)
  DataType type = DataType::kUndefined;
  int64_t axis = 1;  // normalized when the quantized tensor's rank is known; meaningful for per-axis only

  bool per_tensor() const { return scales.size() == 1; }
  int32_t qmin() const { return type == DataType::kInt8 ? -128 : 0; }
  int32_t qmax() const { return type == DataType::kInt8 ? 127 : 255; }
};

// Parameters of `node` when it is a Q or DQ (default domain) with 8-bit integers and constant float scale and
// zero point, per tensor or per axis; otherwise nullopt.
std::optional<QParams> ParamsOf(ir::Node* node);
// The DequantizeLinear producing v (with its parameters), when it matches ParamsOf.
std::optional<QParams> DequantizeOf(const ir::Value* v);
// The QuantizeLinear that is the sole reader of v (v itself not a graph output), with its parameters.
std::optional<QParams> SoleQuantizeOf(const ir::Value* v);
// Same type, scales and zero points (axis too, when per axis).
bool SameParams(const QParams& a, const QParams& b);

// The per-tensor scale and zero point values of `p` as node inputs; the zero point is made a constant of p.type
// when the node had none, since the QLinear operators type their output by it.
Result<std::pair<std::string, std::string>> ScaleAndZeroPoint(ir::Graph& graph, const QParams& p);

// True when the kernel registry has `domain:op_type` at the graph's opset for that domain and accepts `inputs`
// (element types by input index; kUndefined for an input left out).
bool CanRun(const PassContext& ctx, const ir::Graph& graph, const std::string& domain, const std::string& op_type,
            const std::vector<DataType>& inputs);

// The bias of a quantized convolution or product as int32 at scale x_scale * w_scale[m] (round half to even, as
// onnxruntime quantizes it), from a constant float bias or a DequantizeLinear of one; nullopt when it is neither,
// its length is not `m`, or a value leaves the int32 range.
std::optional<Tensor> QuantizedBias(const ir::Value* bias, int64_t m, float x_scale, const std::vector<float>& w_scale);

// Removes `node` (a DequantizeLinear a fusion read through) once nothing reads its output any more.
void RemoveIfUnused(ir::Graph& graph, ir::Node* node);

// The opset the graph imports for the default domain (0 when none).
int64_t DefaultOpset(const ir::Graph& graph);

}  // namespace onyx::opt::qdq
