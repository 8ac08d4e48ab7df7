// A 2-D ConvTranspose whose kernel equals its stride (b x b, no pads, no dilation, one group: the 2x upsampling of
// FPN, U-Net and detector necks) writes each output pixel from exactly one input pixel: output (h*b + i, w*b + j),
// channel m, is sum_c x[c, h, w] * W[c, m, i, j]. That is a 1x1 Conv to b*b*M channels ordered (i, j, m) followed by
// DepthToSpace in DCR mode, which only moves data. The 1x1 Conv runs on the convolution kernels (and in the blocked
// layout at level all, where the DepthToSpace becomes NchwcDepthToSpace), where the ConvTranspose ran a GEMM into a
// column buffer and scattered it. A BatchNormalization after the ConvTranspose is folded into the new weights, and
// an activation after that moves before the DepthToSpace (both are per channel or per element, which the shuffle
// does not change), where FuseActivation gives it to the Conv.
#include <cmath>
#include <map>

#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

// The block size b when `ct` is a ConvTranspose this pass rewrites (weights of shape w), else 0.
int64_t BlockSize(const ir::Node& ct, const std::vector<int64_t>& w) {
  if (w[2] != w[3] || w[2] < 2) return 0;
  const int64_t b = w[2];
  const ir::Attribute* strides = ct.attribute("strides");
  if (!strides || strides->ints != std::vector<int64_t>{b, b}) return 0;
  if (const ir::Attribute* k = ct.attribute("kernel_shape"); k && k->ints != std::vector<int64_t>{b, b}) return 0;
  if (AttrInt(ct, "group", 1) != 1 || !AttrIntsAllEqual(ct, "dilations", 1) || !AttrIntsAllEqual(ct, "pads", 0) ||
      !AttrIntsAllEqual(ct, "output_padding", 0) || ct.attribute("output_shape")) {
    return 0;
  }
  if (const ir::Attribute* ap = ct.attribute("auto_pad"); ap && ap->s != "NOTSET" && ap->s != "VALID") return 0;
  return b;
}

// The float vector of `n` values at input i of node, or null.
const Tensor* Vector(const ir::Node& node, size_t i, int64_t n) {
  const Tensor* t = ConstantInput(node, i);
  return t && t->type() == DataType::kFloat && t->size() == n ? t : nullptr;
}

// An inference BatchNormalization reading only v, with constant per-channel parameters of m values.
bool FoldableBatchNorm(const ir::Node* bn, const ir::Value* v, int64_t m) {
  if (!bn || !bn->domain().empty() || bn->op_type() != "BatchNormalization" || bn->input(0) != v) return false;
  for (size_t i = 1; i < bn->outputs().size(); ++i) {
    const ir::Value* o = bn->output(i);
    if (o && (!o->consumers().empty() || o->is_graph_output())) return false;
  }
  if (const ir::Attribute* tm = bn->attribute("training_mode"); tm && tm->i != 0) return false;
  for (size_t i = 1; i <= 4; ++i) {
    if (!Vector(*bn, i, m)) return false;
  }
  return true;
}

// The weights of `ct` (a graph input [C, M, b, b]) as the 1x1 Conv's [b*b*M, C, 1, 1], made at run time.
Result<std::string> RuntimeWeights(ir::Graph& graph, const ir::Node* ct, int64_t b, int64_t m, int64_t c) {
  const std::string base = ct->name() + "_weights_as_conv";
  const std::string t = graph.UniqueName(base + "_transposed"), out = graph.UniqueName(base);
  graph.AddNode(graph.UniqueName(base + "_transpose"), "Transpose", "", ct->opset(), {ct->input(1)->name()}, {t},
                {{"perm", IntsAttr("perm", {2, 3, 1, 0})}});
  ONYX_ASSIGN_OR_RETURN(Tensor shape, Tensor::Create(DataType::kInt64, {4}));
  int64_t* d = shape.data<int64_t>();
  d[0] = b * b * m;
  d[1] = c;
  d[2] = d[3] = 1;
  ONYX_ASSIGN_OR_RETURN(ir::Value * sv, graph.AddConstant(base + "_shape", std::move(shape)));
  graph.AddNode(graph.UniqueName(base + "_reshape"), "Reshape", "", ct->opset(), {t, sv->name()}, {out}, {});
  ir::Type type = ct->input(1)->type();
  type.shape = ir::ToSymShape({b * b * m, c, 1, 1});
  graph.FindValue(out)->set_type(type);
  return out;
}

// The bias of `ct` (a graph input [M]) repeated b*b times, made at run time.
Result<std::string> RuntimeBias(ir::Graph& graph, const ir::Node* ct, int64_t bb) {
  const std::string base = ct->name() + "_bias_as_conv", out = graph.UniqueName(base);
  ONYX_ASSIGN_OR_RETURN(Tensor reps, Tensor::Create(DataType::kInt64, {1}));
  reps.data<int64_t>()[0] = bb;
  ONYX_ASSIGN_OR_RETURN(ir::Value * rv, graph.AddConstant(base + "_repeats", std::move(reps)));
  graph.AddNode(graph.UniqueName(base + "_tile"), "Tile", "", ct->opset(), {ct->input(2)->name(), rv->name()}, {out},
                {});
  return out;
}

bool MovableActivation(const ir::Node* n) {
  if (!n || !n->domain().empty() || n->inputs().size() != 1 || n->outputs().size() != 1) return false;
  const std::string& op = n->op_type();
  return op == "Relu" || op == "LeakyRelu" || op == "Sigmoid" || op == "Tanh" || op == "HardSigmoid" ||
         op == "HardSwish";
}

class ConvTransposeToConv final : public GraphPass {
 public:
  std::string name() const override { return "ConvTransposeToConv"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    std::vector<ir::Node*> found;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && n->op_type() == "ConvTranspose") found.push_back(n.get());
    }
    int rewrites = 0;
    for (ir::Node* ct : found) {
      ir::Value* x = ct->input(0);
      if (!x || !ct->input(1) || !ct->output(0) || x->type().elem_type != DataType::kFloat) continue;
      if (x->type().shape && x->type().shape->size() != 4) continue;
      const Tensor* w = ConstantInput(*ct, 1);
      // Weights that are overridable graph inputs (older exporters list every initializer as one) are rearranged
      // at run time, by a Transpose and a Reshape (a Tile for the bias): a few thousand floats per run.
      const bool runtime_w = !w;
      auto ws = StaticShape(ct->input(1));
      if (!ws || ws->size() != 4 || ct->input(1)->type().elem_type != DataType::kFloat) continue;
      const int64_t b = BlockSize(*ct, *ws);
      if (b == 0) continue;
      if (!CanProduce(ctx, graph, "", "DepthToSpace") || !CanProduce(ctx, graph, "", "Conv")) continue;
      const int64_t c = (*ws)[0], m = (*ws)[1], bb = b * b;
      const Tensor* bias = ct->input(2) ? Vector(*ct, 2, m) : nullptr;
      const bool runtime_b = ct->input(2) && !bias;
      if (runtime_b) {
        auto bs = StaticShape(ct->input(2));
        if (!bs || *bs != std::vector<int64_t>{m} || ct->input(2)->type().elem_type != DataType::kFloat) continue;
      }
      // (Reshape takes its shape as an input from opset 5, Tile its repeats from opset 6.)
      if ((runtime_w || runtime_b) && (ct->opset() < 6 || !CanProduce(ctx, graph, "", "Transpose") ||
                                       !CanProduce(ctx, graph, "", "Reshape") || !CanProduce(ctx, graph, "", "Tile"))) {
        continue;
      }

      // What follows: a BatchNormalization to fold, then an activation to move before the shuffle.
      ir::Value* out = ct->output(0);
      ir::Node* bn = SoleConsumer(out);
      if (runtime_w || runtime_b || !FoldableBatchNorm(bn, out, m)) bn = nullptr;
      if (bn) out = bn->output(0);
      ir::Node* act = SoleConsumer(out);
      if (!MovableActivation(act) || act->input(0) != out) act = nullptr;
      if (act) out = act->output(0);

      std::vector<float> scale(static_cast<size_t>(m), 1.0f), shift(static_cast<size_t>(m), 0.0f);
      for (int64_t o = 0; o < m; ++o) shift[static_cast<size_t>(o)] = bias ? bias->data<float>()[o] : 0.0f;
      if (bn) {
        float epsilon = 1e-5f;
        if (const ir::Attribute* e = bn->attribute("epsilon")) epsilon = e->f;
        const float* g = ConstantInput(*bn, 1)->data<float>();
        const float* beta = ConstantInput(*bn, 2)->data<float>();
        const float* mean = ConstantInput(*bn, 3)->data<float>();
        const float* var = ConstantInput(*bn, 4)->data<float>();
        for (int64_t o = 0; o < m; ++o) {
          const size_t k = static_cast<size_t>(o);
          scale[k] = g[o] / std::sqrt(var[o] + epsilon);
          shift[k] = (shift[k] - mean[o]) * scale[k] + beta[o];
        }
      }
      // W'[(i*b + j)*M + m, c] = W[c, m, i, j] * scale[m]; B'[(i*b + j)*M + m] = shift[m].
      std::string wn, bias_name;
      if (runtime_w) {
        ONYX_ASSIGN_OR_RETURN(wn, RuntimeWeights(graph, ct, b, m, c));
      } else {
        ONYX_ASSIGN_OR_RETURN(Tensor nw, Tensor::Create(DataType::kFloat, {bb * m, c, 1, 1}));
        const float* src = w->data<float>();
        float* dw = nw.data<float>();
        for (int64_t ij = 0; ij < bb; ++ij) {
          for (int64_t o = 0; o < m; ++o) {
            const int64_t row = ij * m + o;
            const float sc = scale[static_cast<size_t>(o)];
            for (int64_t ci = 0; ci < c; ++ci) dw[row * c + ci] = src[(ci * m + o) * bb + ij] * sc;
          }
        }
        ONYX_ASSIGN_OR_RETURN(ir::Value * wv, graph.AddConstant(ct->input(1)->name() + "_as_conv", std::move(nw)));
        wn = wv->name();
      }
      if (runtime_b) {
        ONYX_ASSIGN_OR_RETURN(bias_name, RuntimeBias(graph, ct, bb));
      } else if (bias || bn) {
        ONYX_ASSIGN_OR_RETURN(Tensor nb, Tensor::Create(DataType::kFloat, {bb * m}));
        float* db = nb.data<float>();
        for (int64_t ij = 0; ij < bb; ++ij) {
          for (int64_t o = 0; o < m; ++o) db[ij * m + o] = shift[static_cast<size_t>(o)];
        }
        ONYX_ASSIGN_OR_RETURN(ir::Value * bv, graph.AddConstant(ct->name() + "_bias_as_conv", std::move(nb)));
        bias_name = bv->name();
      }

      const std::string result = out->name(), name = ct->name(), x_name = x->name();
      const int64_t opset = ct->opset();
      std::string act_op;
      std::map<std::string, ir::Attribute> act_attrs;
      if (act) {
        act_op = act->op_type();
        act_attrs = act->attributes();
      }
      ir::Value* old_w = ct->input(1);
      ir::Value* old_b = ct->input(2);
      if (act) graph.RemoveNode(act);
      if (bn) graph.RemoveNode(bn);
      graph.RemoveNode(ct);
      const std::string conv_out = graph.UniqueName(name + "_as_conv");
      std::vector<std::string> conv_inputs = {x_name, wn};
      if (!bias_name.empty()) conv_inputs.push_back(bias_name);
      graph.AddNode(name + "_as_conv", "Conv", "", opset, conv_inputs, {conv_out},
                    {{"kernel_shape", IntsAttr("kernel_shape", {1, 1})}});
      // The new values' types, for the passes of this round (the blocked layout needs the channel counts).
      ir::Type conv_type = graph.FindValue(x_name)->type();
      if (conv_type.shape) (*conv_type.shape)[1] = ir::Dim::Known(bb * m);
      graph.FindValue(conv_out)->set_type(conv_type);
      std::string shuffled_in = conv_out;
      if (act) {
        shuffled_in = graph.UniqueName(name + "_activation");
        graph.AddNode(graph.UniqueName(name + "_" + act_op), act_op, "", opset, {conv_out}, {shuffled_in},
                      std::move(act_attrs));
        graph.FindValue(shuffled_in)->set_type(conv_type);
      }
      // DepthToSpace's mode attribute came with opset 11; before it, DCR was the only order.
      std::map<std::string, ir::Attribute> d2s = {{"blocksize", IntAttr("blocksize", b)}};
      if (opset >= 11) {
        ir::Attribute mode;
        mode.name = "mode";
        mode.type = ir::AttrType::kString;
        mode.s = "DCR";
        d2s["mode"] = mode;
      }
      graph.AddNode(name, "DepthToSpace", "", opset, {shuffled_in}, {result}, std::move(d2s));
      RemoveUnreadConstant(graph, old_w);
      RemoveUnreadConstant(graph, old_b);
      ++rewrites;
    }
    return rewrites;
  }
};

// Before FuseConvBatchNorm (50) and the extended fusions, which then see the new Conv.
ONYX_REGISTER_PASS(Level::kBasic, 48, ConvTransposeToConv);

}  // namespace
}  // namespace onyx::opt
