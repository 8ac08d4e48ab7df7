// com.onyx:Attention (written by the FuseAttention pass, see docs/FUSED_OPERATORS.md): BERT-style multi-head
// self-attention from the input projection to the merged heads:
//   QKV = X W + b   (X [B,S,E], W [E, 3*hidden] = [Wq | Wk | Wv], b [3*hidden])
//   per head n:  P = softmax(scale * Q_n K_n^T + mask),  Y[:, :, n*D:(n+1)*D] = P V_n   (D = hidden / num_heads)
// One GEMM for the three projections, then the heads run in parallel, each reading Q, K and V in place from
// the QKV rows (no transposes). mask is optional: an additive float tensor that broadcasts to [B, num_heads,
// S, S] (typically [B,1,1,S] or [B,1,S,S]).
#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/nn/gemm_util.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "ep/cpu/ukernels/float_vmath.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu::fused {
namespace {

class AttentionKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("num_heads", &num_heads_));
    if (num_heads_ <= 0) return info.Error("num_heads must be positive, got ", num_heads_);
    has_scale_ = info.has_attr("scale");
    if (has_scale_) {
      ONYX_RETURN_IF_ERROR(info.GetFloat("scale", &scale_));
      if (!std::isfinite(scale_)) return info.Error("scale must be finite, got ", scale_);
    }
    // The projection weights (a constant the FuseAttention pass made) are packed for the GEMM once, here.
    const ir::Value* wv = info.node().input(1);
    const Tensor* w = wv && !wv->is_graph_input() ? info.constant_input(1) : nullptr;
    if (w && w->type() == DataType::kFloat && w->rank() == 2) {
      packed_w_ = PackedGemmB(false, w->dim(0), w->dim(1), w->data<float>(), w->dim(1));
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* w = ctx.input(1);
    const Tensor* bias = ctx.input(2);
    const Tensor* mask = ctx.input(3);
    if (x == nullptr || w == nullptr || bias == nullptr) return ctx.Error("inputs X, W and B are required");
    for (const Tensor* t : {x, w, bias, mask}) {
      if (t != nullptr && t->type() != DataType::kFloat) return ctx.Error("inputs must be float, got ", t->Describe());
    }
    if (x->rank() != 3) return ctx.Error("X must be [batch, sequence, hidden], got ", x->Describe());
    const int64_t batch = x->dim(0), seq = x->dim(1), in_hidden = x->dim(2);
    if (w->rank() != 2 || w->dim(0) != in_hidden || w->dim(1) % 3 != 0) {
      return ctx.Error("W must be [", in_hidden, ", 3 * hidden] for X ", x->Describe(), ", got ", w->Describe());
    }
    const int64_t hidden = w->dim(1) / 3;
    if (hidden % num_heads_ != 0) {
      return ctx.Error("hidden size ", hidden, " (W ", w->Describe(), ") is not a multiple of num_heads ", num_heads_);
    }
    const int64_t head = hidden / num_heads_;
    if (bias->rank() != 1 || bias->dim(0) != 3 * hidden) {
      return ctx.Error("B must be 1-D of size ", 3 * hidden, ", got ", bias->Describe());
    }
    // The mask's strides over [batch, heads, query, key]; 0 along a broadcast axis.
    std::array<int64_t, 4> mask_stride = {0, 0, 0, 0};
    if (mask != nullptr) {
      const std::array<int64_t, 4> full = {batch, num_heads_, seq, seq};
      if (mask->rank() > 4) return ctx.Error("mask must have rank <= 4, got ", mask->Describe());
      int64_t stride = 1;
      for (int64_t i = 0; i < mask->rank(); ++i) {
        const int64_t d = mask->dim(mask->rank() - 1 - i);
        const size_t axis = static_cast<size_t>(3 - i);
        if (d != 1 && d != full[axis]) {
          return ctx.Error("mask ", mask->Describe(), " does not broadcast to [", batch, ",", num_heads_, ",", seq, ",",
                           seq, "]");
        }
        mask_stride[axis] = d == 1 ? 0 : stride;
        stride *= d;
      }
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, {batch, seq, hidden}));
    const int64_t rows = batch * seq;
    if (rows == 0 || hidden == 0) return Status::Ok();
    const int64_t ld = 3 * hidden;
    ONYX_ASSIGN_OR_RETURN(Tensor qkv, ctx.Allocate(DataType::kFloat, {rows, ld}, false));
    float* qkv_p = qkv.data<float>();
    // QKV starts as the bias rows and the product is added to them (beta 1).
    const float* bias_p = bias->data<float>();
    for (int64_t r = 0; r < rows; ++r) std::copy(bias_p, bias_p + ld, qkv_p + r * ld);
    if (in_hidden > 0) {
      if (!packed_w_.empty() && packed_w_.k() == in_hidden && packed_w_.n() == ld) {
        GemmPackedB(packed_w_, false, rows, 1.0f, x->data<float>(), in_hidden, w->data<float>(), 1.0f, qkv_p, ld,
                    ctx.thread_pool());
      } else {
        Gemm(false, false, rows, ld, in_hidden, 1.0f, x->data<float>(), in_hidden, w->data<float>(), ld, 1.0f, qkv_p,
             ld, ctx.thread_pool());
      }
    }

    const float scale = has_scale_ ? scale_ : 1.0f / std::sqrt(static_cast<float>(std::max<int64_t>(head, 1)));
    const float* mask_p = mask ? mask->data<float>() : nullptr;
    float* y_p = y->data<float>();
    const int64_t heads = num_heads_;
    ThreadPool::For(
        ctx.thread_pool(), batch * heads,
        2.0 * static_cast<double>(seq * seq * head) * kSmallProductNsPerMac +
            static_cast<double>(seq * seq) * kCostlyNsPerElement,
        [&](int64_t begin, int64_t end) {
          std::vector<float> scores(static_cast<size_t>(seq * seq));
          for (int64_t task = begin; task < end; ++task) {
            const int64_t b = task / heads, n = task % heads;
            const float* q = qkv_p + b * seq * ld + n * head;
            const float* k = q + hidden;
            const float* v = q + 2 * hidden;
            Gemm(false, true, seq, seq, head, scale, q, ld, k, ld, 0.0f, scores.data(), seq, nullptr);
            for (int64_t i = 0; i < seq; ++i) {
              float* row = scores.data() + i * seq;
              if (mask_p != nullptr) {
                const float* m = mask_p + b * mask_stride[0] + n * mask_stride[1] + i * mask_stride[2];
                for (int64_t j = 0; j < seq; ++j) row[j] += m[j * mask_stride[3]];
              }
              vmath::SoftmaxRow(row, row, seq);
            }
            Gemm(false, false, seq, head, seq, 1.0f, scores.data(), seq, v, ld, 0.0f, y_p + b * seq * hidden + n * head,
                 hidden, nullptr);
          }
        });
    return Status::Ok();
  }

 private:
  int64_t num_heads_ = 0;
  PackedGemmB packed_w_;
  bool has_scale_ = false;
  float scale_ = 1.0f;
};

// Y is [batch, sequence, hidden] with hidden = W's second dim / 3.
Status InferAttention(ir::InferenceContext& ctx) {
  const ir::SymShape* x = ctx.input_shape(0);
  const ir::SymShape* w = ctx.input_shape(1);
  if (x == nullptr || x->size() != 3) {
    ctx.SetOutput(0, DataType::kFloat, std::nullopt);
    return Status::Ok();
  }
  ir::Dim hidden;
  if (w != nullptr && w->size() == 2 && (*w)[1].known() && (*w)[1].value % 3 == 0) {
    hidden = ir::Dim::Known((*w)[1].value / 3);
  }
  ctx.SetOutput(0, DataType::kFloat, ir::SymShape{(*x)[0], (*x)[1], hidden});
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(AttentionKernel,
                     KernelDef("CPU", "com.onyx", "Attention").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "Attention", InferAttention);

}  // namespace onyx::cpu::fused
