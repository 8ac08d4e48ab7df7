// LinearAttention (opset 27): the recurrent state S (d_k x d_v per KV head) is updated token by token with one of
// the rules linear, gated, delta or gated_delta, and each query head reads o_t = scale * q_t^T S_t. Query heads
// share KV heads in contiguous groups (GQA). Runs the recurrence sequentially in double.
#include <cmath>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/transformer/transformer_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

class LinearAttentionKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("q_num_heads", &q_heads_));
    ONYX_RETURN_IF_ERROR(info.GetInt("kv_num_heads", &kv_heads_));
    ONYX_RETURN_IF_ERROR(info.GetFloat("scale", &scale_, 0.0f));
    int64_t chunk = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("chunk_size", &chunk, int64_t{64}));
    std::string rule;
    ONYX_RETURN_IF_ERROR(info.GetString("update_rule", &rule, std::string("gated_delta")));
    if (rule != "linear" && rule != "gated" && rule != "delta" && rule != "gated_delta")
      return info.Error("update_rule must be linear, gated, delta or gated_delta, got \"", rule, "\"");
    gated_ = rule == "gated" || rule == "gated_delta";
    delta_ = rule == "delta" || rule == "gated_delta";
    if (q_heads_ <= 0 || kv_heads_ <= 0 || q_heads_ % kv_heads_ != 0)
      return info.Error("q_num_heads (", q_heads_, ") must be a positive multiple of kv_num_heads (", kv_heads_, ")");
    if (!std::isfinite(scale_)) return info.Error("scale must be finite, got ", scale_);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* q = ctx.input(0);
    const Tensor* k = ctx.input(1);
    const Tensor* v = ctx.input(2);
    const Tensor* past = ctx.input(3);
    const Tensor* decay = ctx.input(4);
    const Tensor* beta = ctx.input(5);
    if (!q || !k || !v) return ctx.Error("inputs query, key and value are required");
    if (!transformer::IsFloatType(q->type()) || k->type() != q->type() || v->type() != q->type())
      return ctx.Error("query, key and value must share a floating-point type");
    if (q->rank() != 3 || k->rank() != 3 || v->rank() != 3)
      return ctx.Error("query, key and value must be 3-D, got ", q->Describe(), ", ", k->Describe(), ", ",
                       v->Describe());
    const int64_t b_n = q->dim(0), t_n = q->dim(1);
    if (k->dim(0) != b_n || v->dim(0) != b_n || k->dim(1) != t_n || v->dim(1) != t_n)
      return ctx.Error("batch and sequence dims of ", q->Describe(), ", ", k->Describe(), ", ", v->Describe(),
                       " differ");
    if (q->dim(2) % q_heads_ != 0 || k->dim(2) % kv_heads_ != 0 || v->dim(2) % kv_heads_ != 0)
      return ctx.Error("hidden sizes are not divisible by the head counts");
    const int64_t dk = q->dim(2) / q_heads_, dv = v->dim(2) / kv_heads_, hq = q_heads_, hk = kv_heads_;
    if (k->dim(2) / kv_heads_ != dk) return ctx.Error("key head size ", k->dim(2) / kv_heads_, " differs from ", dk);
    if (gated_ && !decay) return ctx.Error("decay is required for the gated update rules");
    if (delta_ && !beta) return ctx.Error("beta is required for the delta update rules");
    bool decay_per_key = false;
    if (gated_) {
      if (decay->rank() != 3 || decay->dim(0) != b_n || decay->dim(1) != t_n ||
          (decay->dim(2) != hk * dk && decay->dim(2) != hk))
        return ctx.Error("decay ", decay->Describe(), " must be [B, T, H_kv * d_k] or [B, T, H_kv]");
      decay_per_key = decay->dim(2) == hk * dk && dk != 1;
    }
    if (delta_ &&
        (beta->rank() != 3 || beta->dim(0) != b_n || beta->dim(1) != t_n || (beta->dim(2) != hk && beta->dim(2) != 1)))
      return ctx.Error("beta ", beta->Describe(), " must be [B, T, H_kv] or [B, T, 1]");
    const Shape state_shape{b_n, hk, dk, dv};
    std::vector<double> state(static_cast<size_t>(b_n * hk * dk * dv), 0.0);
    if (past) {
      if (past->shape() != state_shape)
        return ctx.Error("past_state ", past->Describe(), " must be ", ShapeToString(state_shape));
      state = ToDoubleVector(*past);
    }
    const std::vector<double> qv = ToDoubleVector(*q), kv = ToDoubleVector(*k), vv = ToDoubleVector(*v);
    const std::vector<double> gv = gated_ ? ToDoubleVector(*decay) : std::vector<double>();
    const std::vector<double> bv = delta_ ? ToDoubleVector(*beta) : std::vector<double>();
    const int64_t g_width = gated_ ? decay->dim(2) : 0, b_width = delta_ ? beta->dim(2) : 0;
    const double scale = scale_ != 0.0f ? static_cast<double>(scale_) : 1.0 / std::sqrt(static_cast<double>(dk));
    const int64_t group = hq / hk;
    std::vector<double> out(static_cast<size_t>(b_n * t_n * hq * dv), 0.0);
    ThreadPool::For(
        ctx.thread_pool(), b_n * hk,
        [&](int64_t begin, int64_t end) {
          std::vector<double> sk(static_cast<size_t>(dv));
          for (int64_t bh = begin; bh < end; ++bh) {
            const int64_t b = bh / hk, h = bh % hk;
            double* s = state.data() + bh * dk * dv;
            for (int64_t t = 0; t < t_n; ++t) {
              const int64_t row = b * t_n + t;
              const double* kt = kv.data() + (row * hk + h) * dk;
              const double* vt = vv.data() + (row * hk + h) * dv;
              if (gated_) {
                for (int64_t i = 0; i < dk; ++i) {
                  const double g = decay_per_key ? gv[row * g_width + h * dk + i] : gv[row * g_width + h];
                  const double e = std::exp(g);
                  for (int64_t j = 0; j < dv; ++j) s[i * dv + j] *= e;
                }
              }
              if (delta_) {
                const double bt = bv[row * b_width + (b_width == 1 ? 0 : h)];
                for (int64_t j = 0; j < dv; ++j) {
                  double acc = 0;
                  for (int64_t i = 0; i < dk; ++i) acc += s[i * dv + j] * kt[i];
                  sk[j] = bt * (vt[j] - acc);
                }
                for (int64_t i = 0; i < dk; ++i)
                  for (int64_t j = 0; j < dv; ++j) s[i * dv + j] += kt[i] * sk[j];
              } else {
                for (int64_t i = 0; i < dk; ++i)
                  for (int64_t j = 0; j < dv; ++j) s[i * dv + j] += kt[i] * vt[j];
              }
              for (int64_t g = 0; g < group; ++g) {
                const int64_t qh = h * group + g;
                const double* qt = qv.data() + (row * hq + qh) * dk;
                double* o = out.data() + (row * hq + qh) * dv;
                for (int64_t i = 0; i < dk; ++i)
                  for (int64_t j = 0; j < dv; ++j) o[j] += qt[i] * s[i * dv + j];
                for (int64_t j = 0; j < dv; ++j) o[j] *= scale;
              }
            }
          }
        },
        1);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, q->type(), Shape{b_n, t_n, hq * dv}));
    FromDoubleVector(out, y);
    if (ctx.output_requested(1)) {
      ONYX_ASSIGN_OR_RETURN(Tensor * st, ctx.Output(1, q->type(), state_shape));
      FromDoubleVector(state, st);
    }
    return Status::Ok();
  }

 private:
  int64_t q_heads_ = 0;
  int64_t kv_heads_ = 0;
  float scale_ = 0.0f;
  bool gated_ = true;
  bool delta_ = true;
};

Status InferLinearAttention(ir::InferenceContext& ctx) {
  const DataType t = ctx.input_elem_type(0);
  for (size_t i = 0; i < ctx.output_count(); ++i) ctx.SetOutput(i, t, std::nullopt);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(LinearAttentionKernel, KernelDef("CPU", "", "LinearAttention").Versions(27));
ONYX_REGISTER_SHAPE_INFERENCE("", "LinearAttention", InferLinearAttention);

}  // namespace onyx::cpu
