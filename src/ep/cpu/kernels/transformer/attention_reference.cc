// The plain form of Attention (opsets 23, 24): every product and the softmax in double on [B, H, S, D] copies.
// It runs the inputs that are not float (double, float16, bfloat16) and is what the float path
// (attention.cc) is tested against.
#include <cmath>
#include <limits>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/transformer/attention_common.h"
#include "ep/cpu/kernels/transformer/transformer_util.h"

namespace onyx::cpu {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// A Q/K/V tensor viewed as [batch, heads, seq, head_size], either 4-D or 3-D [batch, seq, heads * head_size].
struct HeadView {
  int64_t batch = 0, heads = 0, seq = 0, head_size = 0;
  std::vector<double> v;  // always laid out [batch, heads, seq, head_size]
  double at(int64_t b, int64_t h, int64_t s, int64_t d) const {
    return v[static_cast<size_t>(((b * heads + h) * seq + s) * head_size + d)];
  }
};

Status MakeHeadView(KernelContext& ctx, const char* name, const Tensor& t, int64_t num_heads, HeadView* out) {
  if (t.rank() == 4) {
    out->batch = t.dim(0), out->heads = t.dim(1), out->seq = t.dim(2), out->head_size = t.dim(3);
    if (num_heads > 0 && num_heads != out->heads)
      return ctx.Error(name, " ", t.Describe(), " has ", out->heads, " heads, but the attribute says ", num_heads);
    out->v = ToDoubleVector(t);
    return Status::Ok();
  }
  if (t.rank() != 3) return ctx.Error(name, " must be 3-D or 4-D, got ", t.Describe());
  if (num_heads <= 0) return ctx.Error("q_num_heads and kv_num_heads are required for 3-D ", name, " ", t.Describe());
  if (t.dim(2) % num_heads != 0)
    return ctx.Error(name, " hidden size ", t.dim(2), " is not divisible by its head count ", num_heads);
  out->batch = t.dim(0), out->seq = t.dim(1), out->heads = num_heads, out->head_size = t.dim(2) / num_heads;
  const std::vector<double> src = ToDoubleVector(t);
  out->v.resize(src.size());
  for (int64_t b = 0; b < out->batch; ++b)
    for (int64_t s = 0; s < out->seq; ++s)
      for (int64_t h = 0; h < out->heads; ++h)
        for (int64_t d = 0; d < out->head_size; ++d)
          out->v[static_cast<size_t>(((b * out->heads + h) * out->seq + s) * out->head_size + d)] =
              src[static_cast<size_t>(((b * out->seq + s) * out->heads + h) * out->head_size + d)];
  return Status::Ok();
}

// Concatenates past [B, H, P, D] before `cur` along the sequence axis.
Status ConcatPast(KernelContext& ctx, const char* name, const Tensor* past, HeadView* cur) {
  if (!past) return Status::Ok();
  if (past->rank() != 4 || past->dim(0) != cur->batch || past->dim(1) != cur->heads || past->dim(3) != cur->head_size)
    return ctx.Error(name, " ", past->Describe(), " must be [", cur->batch, ",", cur->heads, ",P,", cur->head_size,
                     "]");
  const int64_t p = past->dim(2), total = p + cur->seq;
  const std::vector<double> pv = ToDoubleVector(*past);
  std::vector<double> out(static_cast<size_t>(cur->batch * cur->heads * total * cur->head_size));
  const int64_t d = cur->head_size;
  for (int64_t bh = 0; bh < cur->batch * cur->heads; ++bh) {
    std::copy(pv.begin() + bh * p * d, pv.begin() + (bh + 1) * p * d, out.begin() + bh * total * d);
    std::copy(cur->v.begin() + bh * cur->seq * d, cur->v.begin() + (bh + 1) * cur->seq * d,
              out.begin() + bh * total * d + p * d);
  }
  cur->v = std::move(out);
  cur->seq = total;
  return Status::Ok();
}

}  // namespace

Status AttentionReference(KernelContext& ctx, const AttentionAttrs& attrs) {
  const Tensor* q = ctx.input(0);
  const Tensor* k = ctx.input(1);
  const Tensor* v = ctx.input(2);
  const Tensor* mask = ctx.input(3);
  const Tensor* past_k = ctx.input(4);
  const Tensor* past_v = ctx.input(5);
  const Tensor* nonpad = ctx.input(6);
  if (!q || !k || !v) return ctx.Error("inputs Q, K and V are required");
  if (!transformer::IsFloatType(q->type()) || k->type() != q->type() || v->type() != q->type())
    return ctx.Error("Q, K and V must share a floating-point type, got ", q->Describe(), ", ", k->Describe(), ", ",
                     v->Describe());
  if (q->rank() != k->rank() || q->rank() != v->rank())
    return ctx.Error("Q, K and V must have the same rank, got ", q->Describe(), ", ", k->Describe(), ", ",
                     v->Describe());
  if ((past_k == nullptr) != (past_v == nullptr)) return ctx.Error("past_key and past_value must be given together");
  HeadView qv, kv, vv;
  ONYX_RETURN_IF_ERROR(MakeHeadView(ctx, "Q", *q, attrs.q_num_heads, &qv));
  ONYX_RETURN_IF_ERROR(MakeHeadView(ctx, "K", *k, attrs.kv_num_heads, &kv));
  ONYX_RETURN_IF_ERROR(MakeHeadView(ctx, "V", *v, attrs.kv_num_heads, &vv));
  if (kv.batch != qv.batch || vv.batch != qv.batch || kv.heads != vv.heads || kv.seq != vv.seq)
    return ctx.Error("K ", k->Describe(), " and V ", v->Describe(), " do not match Q ", q->Describe());
  if (kv.head_size != qv.head_size)
    return ctx.Error("K head size ", kv.head_size, " differs from Q head size ", qv.head_size);
  if (kv.heads == 0 || qv.heads % kv.heads != 0)
    return ctx.Error("q heads ", qv.heads, " must be a multiple of kv heads ", kv.heads);
  const int64_t past_len = past_k ? past_k->dim(past_k->rank() > 2 ? 2 : 0) : 0;
  ONYX_RETURN_IF_ERROR(ConcatPast(ctx, "past_key", past_k, &kv));
  ONYX_RETURN_IF_ERROR(ConcatPast(ctx, "past_value", past_v, &vv));
  if (kv.seq != vv.seq) return ctx.Error("past_key and past_value have different sequence lengths");
  const int64_t batch = qv.batch, hq = qv.heads, hkv = kv.heads, sq = qv.seq, total = kv.seq;
  const int64_t dk = qv.head_size, dv = vv.head_size, group = hq / hkv;

  // The additive bias, laid out [batch, hq, sq, total].
  const Shape bias_shape{batch, hq, sq, total};
  std::vector<double> bias;
  if (mask) {
    if (mask->rank() < 1 || mask->dim(mask->rank() - 1) > total)
      return ctx.Error("attn_mask ", mask->Describe(), " has a last dim longer than the total sequence ", total);
    std::vector<double> mv;
    if (mask->type() == DataType::kBool) {
      const bool* mb = mask->data<bool>();
      mv.resize(static_cast<size_t>(mask->size()));
      for (size_t i = 0; i < mv.size(); ++i) mv[i] = mb[i] ? 0.0 : kNegInf;
    } else if (transformer::IsFloatType(mask->type())) {
      mv = ToDoubleVector(*mask);
    } else {
      return ctx.Error("attn_mask must be bool or floating point, got ", mask->Describe());
    }
    // A short last dim is padded with -inf up to the total sequence length.
    Shape ms = mask->shape();
    const int64_t last = ms.back();
    if (last < total) {
      const int64_t rows = last == 0 ? 0 : static_cast<int64_t>(mv.size()) / last;
      std::vector<double> padded(static_cast<size_t>(rows * total), kNegInf);
      for (int64_t r = 0; r < rows; ++r)
        std::copy(mv.begin() + r * last, mv.begin() + (r + 1) * last, padded.begin() + r * total);
      mv = std::move(padded);
      ms.back() = total;
    }
    auto b = transformer::BroadcastValues(mv, ms, bias_shape);
    if (!b) return ctx.Error("attn_mask ", mask->Describe(), " does not broadcast to ", ShapeToString(bias_shape));
    bias = std::move(*b);
  } else {
    bias.assign(static_cast<size_t>(batch * hq * sq * total), 0.0);
  }
  if (attrs.is_causal) {
    for (int64_t bh = 0; bh < batch * hq; ++bh)
      for (int64_t i = 0; i < sq; ++i)
        for (int64_t j = past_len + i + 1; j < total; ++j)
          bias[static_cast<size_t>((bh * sq + i) * total + j)] = kNegInf;
  }
  if (nonpad) {
    if ((nonpad->type() != DataType::kInt64 && nonpad->type() != DataType::kInt32) || nonpad->shape() != Shape{batch})
      return ctx.Error("nonpad_kv_seqlen must be int64[", batch, "], got ", nonpad->Describe());
    const std::vector<int64_t> lens = transformer::ToInt64Vector(*nonpad);
    for (int64_t b = 0; b < batch; ++b)
      for (int64_t r = 0; r < hq * sq; ++r)
        for (int64_t j = std::max<int64_t>(lens[b], 0); j < total; ++j)
          bias[static_cast<size_t>((b * hq * sq + r) * total + j)] = kNegInf;
  }

  const double scale =
      attrs.scale != 0.0f ? static_cast<double>(attrs.scale) : 1.0 / std::sqrt(static_cast<double>(dk));
  const double softcap = attrs.softcap;
  std::vector<double> y(static_cast<size_t>(batch * hq * sq * dv), 0.0);
  std::vector<double> qk_out(ctx.output_requested(3) ? bias.size() : 0);
  ThreadPool::For(
      ctx.thread_pool(), batch * hq,
      [&](int64_t begin, int64_t end) {
        std::vector<double> row(static_cast<size_t>(total));
        for (int64_t bh = begin; bh < end; ++bh) {
          const int64_t b = bh / hq, h = bh % hq, hk = h / group;
          for (int64_t i = 0; i < sq; ++i) {
            const size_t base = static_cast<size_t>((bh * sq + i) * total);
            for (int64_t j = 0; j < total; ++j) {
              double s = 0;
              for (int64_t d = 0; d < dk; ++d) s += qv.at(b, h, i, d) * kv.at(b, hk, j, d);
              s *= scale;
              if (softcap > 0) s = softcap * std::tanh(s / softcap);
              if (!qk_out.empty() && attrs.qk_mode <= 1) qk_out[base + j] = s;
              s += bias[base + j];
              if (!qk_out.empty() && attrs.qk_mode == 2) qk_out[base + j] = s;
              row[j] = s;
            }
            double mx = kNegInf;
            for (double s : row) mx = std::max(mx, s);
            double sum = 0;
            for (double& s : row) sum += (s = std::exp(s - mx));
            for (double& s : row) s /= sum;
            if (!qk_out.empty() && attrs.qk_mode == 3) std::copy(row.begin(), row.end(), qk_out.begin() + base);
            double* yo = y.data() + (bh * sq + i) * dv;
            for (int64_t j = 0; j < total; ++j)
              for (int64_t d = 0; d < dv; ++d) yo[d] += row[j] * vv.at(b, hk, j, d);
          }
        }
      },
      1);

  if (q->rank() == 3) {
    ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(0, q->type(), Shape{batch, sq, hq * dv}));
    std::vector<double> t(y.size());
    for (int64_t b = 0; b < batch; ++b)
      for (int64_t h = 0; h < hq; ++h)
        for (int64_t i = 0; i < sq; ++i)
          for (int64_t d = 0; d < dv; ++d)
            t[static_cast<size_t>(((b * sq + i) * hq + h) * dv + d)] =
                y[static_cast<size_t>(((b * hq + h) * sq + i) * dv + d)];
    FromDoubleVector(t, out);
  } else {
    ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(0, q->type(), Shape{batch, hq, sq, dv}));
    FromDoubleVector(y, out);
  }
  if (ctx.output_requested(1)) {
    ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(1, q->type(), Shape{batch, hkv, total, dk}));
    FromDoubleVector(kv.v, out);
  }
  if (ctx.output_requested(2)) {
    ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(2, q->type(), Shape{batch, hkv, total, dv}));
    FromDoubleVector(vv.v, out);
  }
  if (ctx.output_requested(3)) {
    ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(3, q->type(), bias_shape));
    FromDoubleVector(qk_out, out);
  }
  return Status::Ok();
}

}  // namespace onyx::cpu
