// RotaryEmbedding (opset 23): rotates the first rotary_embedding_dim channels of each head by the position's
// angle (cos/sin caches), pairing either the two halves or adjacent (interleaved) channels.
// X is [batch, heads, seq, head_size] or [batch, seq, heads * head_size] (then num_heads is required).
#include "ep/cpu/kernels/transformer/transformer_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

class RotaryEmbeddingKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("interleaved", &interleaved_, int64_t{0}));
    ONYX_RETURN_IF_ERROR(info.GetInt("num_heads", &num_heads_, int64_t{0}));
    ONYX_RETURN_IF_ERROR(info.GetInt("rotary_embedding_dim", &rotary_dim_, int64_t{0}));
    if (num_heads_ < 0) return info.Error("num_heads must be >= 0, got ", num_heads_);
    if (rotary_dim_ < 0) return info.Error("rotary_embedding_dim must be >= 0, got ", rotary_dim_);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* cos = ctx.input(1);
    const Tensor* sin = ctx.input(2);
    const Tensor* pos = ctx.input(3);
    if (!x || !cos || !sin) return ctx.Error("inputs X, cos_cache and sin_cache are required");
    if (!transformer::IsFloatType(x->type())) return ctx.Error("X must be floating point, got ", x->Describe());
    int64_t batch, heads, seq, head_size;
    // Strides of the (batch, head, seq) coordinates in X's memory; channels are contiguous.
    int64_t sb, sh, ss;
    if (x->rank() == 4) {
      batch = x->dim(0), heads = x->dim(1), seq = x->dim(2), head_size = x->dim(3);
      ss = head_size, sh = seq * head_size, sb = heads * seq * head_size;
    } else if (x->rank() == 3) {
      if (num_heads_ <= 0) return ctx.Error("num_heads is required for 3-D input ", x->Describe());
      if (x->dim(2) % num_heads_ != 0)
        return ctx.Error("hidden size ", x->dim(2), " is not divisible by num_heads ", num_heads_);
      batch = x->dim(0), seq = x->dim(1), heads = num_heads_, head_size = x->dim(2) / num_heads_;
      sh = head_size, ss = x->dim(2), sb = seq * x->dim(2);
    } else {
      return ctx.Error("X must be 3-D or 4-D, got ", x->Describe());
    }
    const int64_t rd = rotary_dim_ == 0 ? head_size : rotary_dim_;
    if (rd > head_size || rd % 2 != 0)
      return ctx.Error("rotary_embedding_dim ", rd, " must be even and <= head size ", head_size);
    const int64_t half = rd / 2;
    if (cos->shape() != sin->shape())
      return ctx.Error("cos_cache ", cos->Describe(), " and sin_cache ", sin->Describe(), " differ in shape");
    if (cos->rank() < 1 || cos->dim(cos->rank() - 1) != half)
      return ctx.Error("last dim of cos_cache ", cos->Describe(), " must be rotary_embedding_dim/2 = ", half);
    std::vector<int64_t> pids;
    if (pos) {
      if (pos->type() != DataType::kInt64 && pos->type() != DataType::kInt32)
        return ctx.Error("position_ids must be int64, got ", pos->Describe());
      if (pos->shape() != Shape{batch, seq})
        return ctx.Error("position_ids ", pos->Describe(), " must be [", batch, ",", seq, "]");
      if (cos->rank() != 2) return ctx.Error("cos_cache must be 2-D with position_ids, got ", cos->Describe());
      pids = transformer::ToInt64Vector(*pos);
      for (int64_t p : pids)
        if (p < 0 || p >= cos->dim(0))
          return ctx.Error("position id ", p, " is out of range for cos_cache ", cos->Describe());
    } else if (cos->shape() != Shape{batch, seq, half}) {
      return ctx.Error("cos_cache ", cos->Describe(), " must be [", batch, ",", seq, ",", half,
                       "] without position_ids");
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), x->shape()));
    const std::vector<double> xv = ToDoubleVector(*x);
    const std::vector<double> cv = ToDoubleVector(*cos), sv = ToDoubleVector(*sin);
    std::vector<double> yv = xv;
    for (int64_t b = 0; b < batch; ++b) {
      for (int64_t s = 0; s < seq; ++s) {
        const int64_t row = pos ? pids[b * seq + s] : b * seq + s;
        const double* c = cv.data() + row * half;
        const double* sn = sv.data() + row * half;
        for (int64_t h = 0; h < heads; ++h) {
          const int64_t base = b * sb + h * sh + s * ss;
          for (int64_t i = 0; i < half; ++i) {
            const int64_t i1 = interleaved_ ? base + 2 * i : base + i;
            const int64_t i2 = interleaved_ ? base + 2 * i + 1 : base + i + half;
            const double x1 = xv[i1], x2 = xv[i2];
            yv[i1] = c[i] * x1 - sn[i] * x2;
            yv[i2] = sn[i] * x1 + c[i] * x2;
          }
        }
      }
    }
    FromDoubleVector(yv, y);
    return Status::Ok();
  }

 private:
  int64_t interleaved_ = 0;
  int64_t num_heads_ = 0;
  int64_t rotary_dim_ = 0;
};

}  // namespace

ONYX_REGISTER_KERNEL(RotaryEmbeddingKernel, KernelDef("CPU", "", "RotaryEmbedding").Versions(23));
ONYX_REGISTER_SHAPE_INFERENCE("", "RotaryEmbedding", ir::InferSameAsInput);

}  // namespace onyx::cpu
