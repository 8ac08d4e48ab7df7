// Folds an inference BatchNormalization that follows a Conv into the Conv's weights and bias:
//   W'[m] = W[m] * s[m],  b'[m] = (b[m] - mean[m]) * s[m] + beta[m],  s = scale / sqrt(var + epsilon).
#include <cmath>

#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

const Tensor* FloatVector(const ir::Node& node, size_t i, int64_t n) {
  const Tensor* t = ConstantInput(node, i);
  if (!t || t->type() != DataType::kFloat || t->size() != n) return nullptr;
  return t;
}

class FuseConvBatchNorm final : public GraphPass {
 public:
  std::string name() const override { return "FuseConvBatchNorm"; }
  Result<int> Run(ir::Graph& graph, const PassContext&) const override {
    int rewrites = 0;
    std::vector<ir::Node*> convs;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && n->op_type() == "Conv") convs.push_back(n.get());
    }
    for (ir::Node* conv : convs) {
      ir::Node* bn = SoleConsumer(conv->output(0));
      if (!bn || bn->op_type() != "BatchNormalization" || !bn->domain().empty() || bn->input(0) != conv->output(0))
        continue;
      bool extra_outputs_used = false;
      for (size_t i = 1; i < bn->outputs().size(); ++i) {
        const ir::Value* o = bn->output(i);
        if (o && (!o->consumers().empty() || o->is_graph_output())) extra_outputs_used = true;
      }
      if (extra_outputs_used) continue;
      if (const ir::Attribute* tm = bn->attribute("training_mode"); tm && tm->i != 0) continue;
      const Tensor* w = ConstantInput(*conv, 1);
      if (!w || w->type() != DataType::kFloat || w->rank() < 3) continue;
      const int64_t m = w->dim(0);
      const Tensor* bias = conv->input(2) ? FloatVector(*conv, 2, m) : nullptr;
      if (conv->input(2) && !bias) continue;
      const Tensor* scale = FloatVector(*bn, 1, m);
      const Tensor* beta = FloatVector(*bn, 2, m);
      const Tensor* mean = FloatVector(*bn, 3, m);
      const Tensor* var = FloatVector(*bn, 4, m);
      if (!scale || !beta || !mean || !var) continue;
      float epsilon = 1e-5f;
      if (const ir::Attribute* e = bn->attribute("epsilon")) epsilon = e->f;

      ONYX_ASSIGN_OR_RETURN(Tensor new_w, Tensor::Create(DataType::kFloat, w->shape()));
      ONYX_ASSIGN_OR_RETURN(Tensor new_b, Tensor::Create(DataType::kFloat, {m}));
      const int64_t per_channel = w->size() / m;
      // Through plain pointers: the compiler then vectorizes the scaling (read through the tensors on every element,
      // it did not, and this loop was a tenth of ResNet-50's session creation).
      const float* src = w->data<float>();
      float* dst_w = new_w.data<float>();
      float* dst_b = new_b.data<float>();
      for (int64_t c = 0; c < m; ++c) {
        const float s = scale->data<float>()[c] / std::sqrt(var->data<float>()[c] + epsilon);
        const float* from = src + c * per_channel;
        float* to = dst_w + c * per_channel;
        for (int64_t k = 0; k < per_channel; ++k) to[k] = from[k] * s;
        const float b = bias ? bias->data<float>()[c] : 0.0f;
        dst_b[c] = (b - mean->data<float>()[c]) * s + beta->data<float>()[c];
      }
      ONYX_ASSIGN_OR_RETURN(ir::Value * w_value, graph.AddConstant(conv->input(1)->name() + "_bn", std::move(new_w)));
      ONYX_ASSIGN_OR_RETURN(ir::Value * b_value, graph.AddConstant(conv->name() + "_bias_bn", std::move(new_b)));
      ir::Value* old_w = conv->input(1);
      ir::Value* old_b = conv->input(2);
      graph.ReplaceInput(conv, 1, w_value);
      graph.ReplaceInput(conv, 2, b_value);
      // The unscaled weights are freed as soon as nothing reads them, not when the optimizer's clean-up runs.
      RemoveUnreadConstant(graph, old_w);
      RemoveUnreadConstant(graph, old_b);
      ir::Value* conv_out = conv->output(0);
      ir::Value* bn_out = bn->output(0);
      graph.RemoveNode(bn);
      graph.RenameOutput(conv, conv_out, bn_out);
      ++rewrites;
    }
    return rewrites;
  }
};

ONYX_REGISTER_PASS(Level::kBasic, 50, FuseConvBatchNorm);

}  // namespace
}  // namespace onyx::opt
