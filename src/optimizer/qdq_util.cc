#include "optimizer/qdq_util.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "framework/kernel_registry.h"

namespace onyx::opt::qdq {

bool Is8Bit(DataType t) { return t == DataType::kInt8 || t == DataType::kUint8; }

namespace {

std::optional<int32_t> LoadInt(const Tensor& t, int64_t i) {
  switch (t.type()) {
    case DataType::kInt8:
      return t.data<int8_t>()[i];
    case DataType::kUint8:
      return t.data<uint8_t>()[i];
    case DataType::kInt32:
      return t.data<int32_t>()[i];
    default:
      return std::nullopt;
  }
}

DataType ElemType(const ir::Value* v) {
  return v && v->type().is_tensor() ? v->type().elem_type : DataType::kUndefined;
}

std::optional<int64_t> RankOf(const ir::Value* v) {
  if (!v || !v->type().is_tensor() || !v->type().shape) return std::nullopt;
  return static_cast<int64_t>(v->type().shape->size());
}

}  // namespace

std::optional<QParams> ParamsOf(ir::Node* node) {
  if (!node || !node->domain().empty()) return std::nullopt;
  const bool is_q = node->op_type() == "QuantizeLinear";
  if (!is_q && node->op_type() != "DequantizeLinear") return std::nullopt;
  if (AttrInt(*node, "block_size", 0) != 0 || !node->input(0) || !node->output(0)) return std::nullopt;
  QParams p;
  p.node = node;
  p.scale_value = node->input(1);
  const Tensor* scale = ConstantInput(*node, 1);
  if (!scale || scale->type() != DataType::kFloat || scale->rank() > 1 || scale->size() < 1) return std::nullopt;
  for (int64_t i = 0; i < scale->size(); ++i) {
    const float s = scale->data<float>()[i];
    // Positive finite scales keep quantization monotonic, which moving it across MaxPool relies on.
    if (!(s > 0.0f) || !std::isfinite(s)) return std::nullopt;
    p.scales.push_back(s);
  }
  p.zp_value = node->input(2);
  if (p.zp_value) {
    const Tensor* zp = ConstantOf(p.zp_value);
    if (!zp || !Is8Bit(zp->type()) || zp->rank() > 1 || zp->size() != scale->size()) return std::nullopt;
    p.type = zp->type();
    for (int64_t i = 0; i < zp->size(); ++i) p.zero_points.push_back(*LoadInt(*zp, i));
  } else {
    p.zero_points.assign(p.scales.size(), 0);
    p.type = is_q ? static_cast<DataType>(AttrInt(*node, "output_dtype", static_cast<int64_t>(DataType::kUint8)))
                  : ElemType(node->input(0));
  }
  if (!Is8Bit(p.type)) return std::nullopt;
  const ir::Value* quantized = is_q ? node->output(0) : node->input(0);
  const DataType known = ElemType(quantized);
  if (known != DataType::kUndefined && known != p.type) return std::nullopt;
  if (ElemType(is_q ? node->input(0) : node->output(0)) != DataType::kFloat) return std::nullopt;
  p.axis = AttrInt(*node, "axis", 1);
  if (auto rank = RankOf(quantized); rank && p.axis < 0) p.axis += *rank;
  return p;
}

std::optional<QParams> DequantizeOf(const ir::Value* v) {
  ir::Node* n = v ? v->producer() : nullptr;
  if (!n || n->op_type() != "DequantizeLinear") return std::nullopt;
  return ParamsOf(n);
}

std::optional<QParams> SoleQuantizeOf(const ir::Value* v) {
  ir::Node* n = SoleConsumer(v);
  if (!n || n->op_type() != "QuantizeLinear" || n->input(0) != v) return std::nullopt;
  return ParamsOf(n);
}

bool SameParams(const QParams& a, const QParams& b) {
  if (a.type != b.type || a.scales != b.scales || a.zero_points != b.zero_points) return false;
  return a.per_tensor() || a.axis == b.axis;
}

Result<std::pair<std::string, std::string>> ScaleAndZeroPoint(ir::Graph& graph, const QParams& p) {
  std::string zp;
  if (p.zp_value) {
    zp = p.zp_value->name();
  } else {
    Tensor t = p.type == DataType::kInt8 ? Tensor::Scalar<int8_t>(0) : Tensor::Scalar<uint8_t>(0);
    ONYX_ASSIGN_OR_RETURN(ir::Value * v, graph.AddConstant(p.node->name() + "_zero_point", std::move(t)));
    zp = v->name();
  }
  return std::make_pair(p.scale_value->name(), zp);
}

bool CanRun(const PassContext& ctx, const ir::Graph& graph, const std::string& domain, const std::string& op_type,
            const std::vector<DataType>& inputs) {
  if (ctx.kernels == nullptr) return true;
  auto it = graph.opsets().find(domain);
  const int64_t opset = it == graph.opsets().end() ? 1 : it->second;
  const KernelEntry* e = ctx.kernels->FindByName(domain, op_type, opset);
  if (!e) return false;
  for (const TypeConstraint& c : e->def.constraints) {
    if (c.index < 0 || static_cast<size_t>(c.index) >= inputs.size()) continue;
    const DataType t = inputs[static_cast<size_t>(c.index)];
    if (t != DataType::kUndefined && std::find(c.types.begin(), c.types.end(), t) == c.types.end()) return false;
  }
  return true;
}

std::optional<Tensor> QuantizedBias(const ir::Value* bias, int64_t m, float x_scale,
                                    const std::vector<float>& w_scale) {
  if (w_scale.size() != 1 && static_cast<int64_t>(w_scale.size()) != m) return std::nullopt;
  auto scale_at = [&](int64_t i) { return x_scale * w_scale[w_scale.size() == 1 ? 0 : static_cast<size_t>(i)]; };
  std::vector<float> real(static_cast<size_t>(m));
  if (const Tensor* b = ConstantOf(bias)) {
    if (b->type() != DataType::kFloat || b->size() != m) return std::nullopt;
    std::copy(b->data<float>(), b->data<float>() + m, real.begin());
  } else {
    // DequantizeLinear(int32 constant): taken as it is when its scale is already x_scale * w_scale, as the
    // quantizers write it; requantized from its real value otherwise.
    ir::Node* dq = bias ? bias->producer() : nullptr;
    if (!dq || dq->op_type() != "DequantizeLinear" || !dq->domain().empty() || AttrInt(*dq, "block_size", 0) != 0)
      return std::nullopt;
    const Tensor* q = ConstantInput(*dq, 0);
    const Tensor* s = ConstantInput(*dq, 1);
    const Tensor* z = dq->input(2) ? ConstantInput(*dq, 2) : nullptr;
    if (!q || q->type() != DataType::kInt32 || q->size() != m || !s || s->type() != DataType::kFloat)
      return std::nullopt;
    if (s->size() != 1 && s->size() != m) return std::nullopt;
    if (dq->input(2) && (!z || z->type() != DataType::kInt32 || z->size() != s->size())) return std::nullopt;
    bool same_scale = true;
    for (int64_t i = 0; i < m; ++i) {
      const float si = s->data<float>()[s->size() == 1 ? 0 : i];
      const int32_t zi = z ? z->data<int32_t>()[z->size() == 1 ? 0 : i] : 0;
      if (zi != 0 || std::fabs(si - scale_at(i)) > 1e-6f * scale_at(i)) same_scale = false;
      real[static_cast<size_t>(i)] = static_cast<float>(static_cast<int64_t>(q->data<int32_t>()[i]) - zi) * si;
    }
    if (same_scale) return *q;
  }
  std::vector<int32_t> out(static_cast<size_t>(m));
  for (int64_t i = 0; i < m; ++i) {
    // nearbyint in the default rounding mode rounds half to even, as numpy's round does in the quantizer.
    const double v = std::nearbyint(real[static_cast<size_t>(i)] / scale_at(i));
    if (!std::isfinite(v) || v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
      return std::nullopt;
    out[static_cast<size_t>(i)] = static_cast<int32_t>(v);
  }
  return Tensor::FromVector<int32_t>({m}, out);
}

void RemoveIfUnused(ir::Graph& graph, ir::Node* node) {
  for (const ir::Value* o : node->outputs()) {
    if (o && (!o->consumers().empty() || o->is_graph_output())) return;
  }
  graph.RemoveNode(node);
}

int64_t DefaultOpset(const ir::Graph& graph) {
  auto it = graph.opsets().find("");
  return it == graph.opsets().end() ? 0 : it->second;
}

}  // namespace onyx::opt::qdq
