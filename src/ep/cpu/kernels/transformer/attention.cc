// Attention (opsets 23, 24): scaled dot-product attention with multi-, grouped- and multi-query heads, an
// optional boolean or additive mask, causal masking aligned to the end of the past cache, past/present KV
// concatenation, softcap and the optional qk_matmul_output. Float inputs run on the GEMM in float, each
// (batch, head) reading Q, K and V in place (3-D or 4-D) and writing Y in place; other types, and masks of rank
// above 4, run the plain double reference (attention_reference.cc), which the tests compare the float path to.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/nn/gemm_util.h"
#include "ep/cpu/kernels/transformer/attention_common.h"
#include "ep/cpu/kernels/transformer/transformer_util.h"
#include "ep/cpu/ukernels/float_vmath.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

constexpr float kNegInfF = -std::numeric_limits<float>::infinity();

// A float Q, K or V tensor read in place as heads: element (b, h, s, d) is at data + b*sb + h*sh + s*ss + d.
struct Heads {
  const float* data = nullptr;
  int64_t batch = 0, heads = 0, seq = 0, head_size = 0;
  int64_t sb = 0, sh = 0, ss = 0;
  const float* at(int64_t b, int64_t h) const { return data + b * sb + h * sh; }
};

// False when the tensor is not a shape the float path takes (the reference then reports what is wrong).
bool ViewHeads(const Tensor& t, int64_t num_heads, Heads* out) {
  out->data = t.data<float>();
  if (t.rank() == 4) {
    if (num_heads > 0 && num_heads != t.dim(1)) return false;
    out->batch = t.dim(0), out->heads = t.dim(1), out->seq = t.dim(2), out->head_size = t.dim(3);
    out->ss = out->head_size, out->sh = out->seq * out->ss, out->sb = out->heads * out->sh;
    return true;
  }
  if (t.rank() != 3 || num_heads <= 0 || t.dim(2) % num_heads != 0) return false;
  out->batch = t.dim(0), out->seq = t.dim(1), out->heads = num_heads, out->head_size = t.dim(2) / num_heads;
  out->sh = out->head_size, out->ss = t.dim(2), out->sb = out->seq * out->ss;
  return true;
}

// past [B, H, P, D] then cur along the sequence, into `dst` [B, H, P + S, D]; *cur becomes a view of dst.
void ConcatInto(const Tensor* past, Heads* cur, float* dst) {
  const int64_t p = past ? past->dim(2) : 0, total = p + cur->seq, d = cur->head_size;
  const float* pp = past ? past->data<float>() : nullptr;
  for (int64_t b = 0; b < cur->batch; ++b) {
    for (int64_t h = 0; h < cur->heads; ++h) {
      float* o = dst + (b * cur->heads + h) * total * d;
      if (p > 0) std::copy(pp + (b * cur->heads + h) * p * d, pp + (b * cur->heads + h + 1) * p * d, o);
      const float* src = cur->at(b, h);
      for (int64_t s = 0; s < cur->seq; ++s) std::copy(src + s * cur->ss, src + s * cur->ss + d, o + (p + s) * d);
    }
  }
  cur->data = dst;
  cur->seq = total;
  cur->ss = d, cur->sh = total * d, cur->sb = cur->heads * cur->sh;
}

// Element strides of attn_mask over [batch, heads, query, key] (0 where it broadcasts), its last dim, or false
// when it is not a float or bool mask of rank 1..4 that broadcasts there.
bool MaskStrides(const Tensor& mask, const std::array<int64_t, 4>& full, std::array<int64_t, 4>* strides,
                 int64_t* last) {
  if ((mask.type() != DataType::kFloat && mask.type() != DataType::kBool) || mask.rank() < 1 || mask.rank() > 4) {
    return false;
  }
  *strides = {0, 0, 0, 0};
  *last = mask.dim(mask.rank() - 1);
  if (*last > full[3]) return false;
  int64_t stride = 1;
  for (int64_t i = 0; i < mask.rank(); ++i) {
    const int64_t d = mask.dim(mask.rank() - 1 - i);
    const size_t axis = static_cast<size_t>(3 - i);
    // The key axis may be shorter than the total sequence (the rest is masked); no other axis may.
    if (i > 0 && d != 1 && d != full[axis]) return false;
    (*strides)[axis] = (i > 0 && d == 1) ? 0 : stride;
    stride *= d;
  }
  return true;
}

// Returns false (nothing written) when the inputs are not float or not in a shape this path takes.
Result<bool> AttentionFloat(KernelContext& ctx, const AttentionAttrs& attrs) {
  const Tensor* q = ctx.input(0);
  const Tensor* k = ctx.input(1);
  const Tensor* v = ctx.input(2);
  const Tensor* mask = ctx.input(3);
  const Tensor* past_k = ctx.input(4);
  const Tensor* past_v = ctx.input(5);
  const Tensor* nonpad = ctx.input(6);
  if (!q || !k || !v || q->type() != DataType::kFloat || k->type() != DataType::kFloat ||
      v->type() != DataType::kFloat || q->rank() != k->rank() || q->rank() != v->rank() ||
      (past_k == nullptr) != (past_v == nullptr)) {
    return false;
  }
  Heads qh, kh, vh;
  if (!ViewHeads(*q, attrs.q_num_heads, &qh) || !ViewHeads(*k, attrs.kv_num_heads, &kh) ||
      !ViewHeads(*v, attrs.kv_num_heads, &vh)) {
    return false;
  }
  if (kh.batch != qh.batch || vh.batch != qh.batch || kh.heads != vh.heads || kh.seq != vh.seq ||
      kh.head_size != qh.head_size || kh.heads == 0 || qh.heads % kh.heads != 0) {
    return false;
  }
  for (const Tensor* past : {past_k, past_v}) {
    if (past && (past->type() != DataType::kFloat || past->rank() != 4 || past->dim(0) != kh.batch ||
                 past->dim(1) != kh.heads || past->dim(2) != past_k->dim(2))) {
      return false;
    }
  }
  if ((past_k && past_k->dim(3) != kh.head_size) || (past_v && past_v->dim(3) != vh.head_size)) return false;
  const int64_t batch = qh.batch, hq = qh.heads, hkv = kh.heads, sq = qh.seq, group = hq / hkv;
  const int64_t past_len = past_k ? past_k->dim(2) : 0, total = past_len + kh.seq;
  const int64_t dk = qh.head_size, dv = vh.head_size;
  std::array<int64_t, 4> mstride = {0, 0, 0, 0};
  int64_t mlast = total;
  if (mask && !MaskStrides(*mask, {batch, hq, sq, total}, &mstride, &mlast)) return false;
  std::vector<int64_t> lens;
  if (nonpad) {
    if ((nonpad->type() != DataType::kInt64 && nonpad->type() != DataType::kInt32) || nonpad->shape() != Shape{batch}) {
      return false;
    }
    lens = transformer::ToInt64Vector(*nonpad);
  }

  // present_key/present_value hold the concatenation; they are made whenever there is a past to join.
  Tensor k_scratch, v_scratch;
  for (int which = 0; which < 2; ++which) {
    Heads* h = which == 0 ? &kh : &vh;
    const Tensor* past = which == 0 ? past_k : past_v;
    const size_t out = static_cast<size_t>(1 + which);
    if (!ctx.output_requested(out) && past == nullptr) continue;
    const Shape shape{batch, hkv, total, h->head_size};
    float* dst = nullptr;
    if (ctx.output_requested(out)) {
      ONYX_ASSIGN_OR_RETURN(Tensor * t, ctx.Output(out, DataType::kFloat, shape));
      dst = t->data<float>();
    } else {
      Tensor& scratch = which == 0 ? k_scratch : v_scratch;
      ONYX_ASSIGN_OR_RETURN(scratch, ctx.Allocate(DataType::kFloat, shape, false));
      dst = scratch.data<float>();
    }
    ConcatInto(past, h, dst);
  }

  const bool three_d = q->rank() == 3;
  // Every element is written below unless there are no keys, where Y stays zero as in the reference.
  auto output = [&](size_t i, const Shape& shape) {
    return total > 0 ? ctx.OutputForOverwrite(i, DataType::kFloat, shape) : ctx.Output(i, DataType::kFloat, shape);
  };
  ONYX_ASSIGN_OR_RETURN(Tensor * y, output(0, three_d ? Shape{batch, sq, hq * dv} : Shape{batch, hq, sq, dv}));
  float* qk_out = nullptr;
  if (ctx.output_requested(3)) {
    ONYX_ASSIGN_OR_RETURN(Tensor * t, output(3, Shape{batch, hq, sq, total}));
    qk_out = t->data<float>();
  }
  if (batch * hq * sq == 0 || total == 0) return true;  // Y is zero-filled, as the reference leaves it

  const float scale = attrs.scale != 0.0f ? attrs.scale : static_cast<float>(1.0 / std::sqrt(static_cast<double>(dk)));
  const float softcap = attrs.softcap;
  const float* mask_f = mask && mask->type() == DataType::kFloat ? mask->data<float>() : nullptr;
  const bool* mask_b = mask && mask->type() == DataType::kBool ? mask->data<bool>() : nullptr;
  float* y_p = y->data<float>();
  const int64_t ldy = three_d ? hq * dv : dv;
  ThreadPool::For(
      ctx.thread_pool(), batch * hq,
      [&](int64_t begin, int64_t end) {
        std::vector<float> scores(static_cast<size_t>(sq * total));
        for (int64_t bh = begin; bh < end; ++bh) {
          const int64_t b = bh / hq, h = bh % hq, hk = h / group;
          float* s = scores.data();
          if (dk > 0) {
            Gemm(false, true, sq, total, dk, scale, qh.at(b, h), qh.ss, kh.at(b, hk), kh.ss, 0.0f, s, total, nullptr);
          } else {
            std::fill(scores.begin(), scores.end(), 0.0f);
          }
          for (int64_t i = 0; i < sq; ++i) {
            float* row = s + i * total;
            float* qk_row = qk_out ? qk_out + (bh * sq + i) * total : nullptr;
            if (softcap > 0) {
              for (int64_t j = 0; j < total; ++j) row[j] /= softcap;
              vmath::Tanh(row, row, total);
              for (int64_t j = 0; j < total; ++j) row[j] *= softcap;
            }
            if (qk_row && attrs.qk_mode <= 1) std::copy(row, row + total, qk_row);
            const int64_t moff = b * mstride[0] + h * mstride[1] + i * mstride[2];
            if (mask_f) {
              for (int64_t j = 0; j < mlast; ++j) row[j] += mask_f[moff + j * mstride[3]];
            } else if (mask_b) {
              for (int64_t j = 0; j < mlast; ++j) row[j] = mask_b[moff + j * mstride[3]] ? row[j] : kNegInfF;
            }
            if (mask) std::fill(row + mlast, row + total, kNegInfF);
            if (attrs.is_causal) std::fill(row + std::min(total, past_len + i + 1), row + total, kNegInfF);
            if (nonpad)
              std::fill(row + std::clamp<int64_t>(lens[static_cast<size_t>(b)], 0, total), row + total, kNegInfF);
            if (qk_row && attrs.qk_mode == 2) std::copy(row, row + total, qk_row);
            vmath::SoftmaxRow(row, row, total);
            if (qk_row && attrs.qk_mode == 3) std::copy(row, row + total, qk_row);
          }
          float* yo = three_d ? y_p + b * sq * ldy + h * dv : y_p + bh * sq * dv;
          if (dv > 0) Gemm(false, false, sq, dv, total, 1.0f, s, total, vh.at(b, hk), vh.ss, 0.0f, yo, ldy, nullptr);
        }
      },
      1);
  return true;
}

class AttentionKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("is_causal", &attrs_.is_causal, int64_t{0}));
    ONYX_RETURN_IF_ERROR(info.GetInt("q_num_heads", &attrs_.q_num_heads, int64_t{0}));
    ONYX_RETURN_IF_ERROR(info.GetInt("kv_num_heads", &attrs_.kv_num_heads, int64_t{0}));
    ONYX_RETURN_IF_ERROR(info.GetInt("qk_matmul_output_mode", &attrs_.qk_mode, int64_t{0}));
    ONYX_RETURN_IF_ERROR(info.GetFloat("scale", &attrs_.scale, 0.0f));
    ONYX_RETURN_IF_ERROR(info.GetFloat("softcap", &attrs_.softcap, 0.0f));
    int64_t precision = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("softmax_precision", &precision, int64_t{0}));
    if (attrs_.q_num_heads < 0 || attrs_.kv_num_heads < 0) return info.Error("head counts must be >= 0");
    if (attrs_.qk_mode < 0 || attrs_.qk_mode > 3)
      return info.Error("qk_matmul_output_mode must be 0..3, got ", attrs_.qk_mode);
    if (attrs_.softcap < 0 || !std::isfinite(attrs_.softcap))
      return info.Error("softcap must be finite and >= 0, got ", attrs_.softcap);
    if (!std::isfinite(attrs_.scale)) return info.Error("scale must be finite, got ", attrs_.scale);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    Result<bool> done = AttentionFloat(ctx, attrs_);
    if (!done.ok()) return done.status();
    return done.value() ? Status::Ok() : AttentionReference(ctx, attrs_);
  }

 private:
  AttentionAttrs attrs_;
};

// Y's type follows Q; shapes are left to run time except the easy static cases.
Status InferAttention(ir::InferenceContext& ctx) {
  const DataType t = ctx.input_elem_type(0);
  for (size_t i = 0; i < ctx.output_count(); ++i) ctx.SetOutput(i, t, std::nullopt);
  const ir::SymShape* q = ctx.input_shape(0);
  const ir::SymShape* v = ctx.input_shape(2);
  if (q && v && q->size() == 4 && v->size() == 4) ctx.SetOutput(0, t, ir::SymShape{(*q)[0], (*q)[1], (*q)[2], (*v)[3]});
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(AttentionKernel, KernelDef("CPU", "", "Attention").Versions(23));
ONYX_REGISTER_SHAPE_INFERENCE("", "Attention", InferAttention);

}  // namespace onyx::cpu
