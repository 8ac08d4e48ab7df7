// com.onyx:SkipLayerNormalization (written by the FuseSkipLayerNorm pass, see docs/FUSED_OPERATORS.md): the
// residual Add of a transformer block and the LayerNormalization over the last axis that follows it, in one
// pass over memory:
//   sum = (input + bias) + skip;  y = (sum - mean) / sqrt(var + epsilon) * gamma + beta
// skip is input-shaped or broadcasts over input's leading axes (its shape, less leading 1s, is a suffix of
// input's); gamma, beta and bias are 1-D over the last axis. Outputs: y, mean?, inv_std_var?, sum?.
#include <algorithm>
#include <string>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/fused/fused_math.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu::fused {

namespace {

// True when `t`'s shape, less leading 1s, is a suffix of `shape` (so element i of the broadcast is
// t[i % t.size()]).
bool IsSuffixBroadcast(const Tensor& t, const Shape& shape) {
  int64_t first = 0;
  while (first < t.rank() && t.dim(first) == 1) ++first;
  const int64_t kept = t.rank() - first;
  if (kept > static_cast<int64_t>(shape.size())) return false;
  for (int64_t i = 0; i < kept; ++i) {
    if (t.dim(t.rank() - 1 - i) != shape[shape.size() - 1 - static_cast<size_t>(i)]) return false;
  }
  return true;
}

class SkipLayerNormKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetFloat("epsilon", &epsilon_, 1e-5f));
    if (!(epsilon_ >= 0.0f)) return info.Error("epsilon must be >= 0, got ", epsilon_);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* input = ctx.input(0);
    const Tensor* skip = ctx.input(1);
    const Tensor* gamma = ctx.input(2);
    const Tensor* beta = ctx.input(3);
    const Tensor* bias = ctx.input(4);
    if (input == nullptr || skip == nullptr || gamma == nullptr) {
      return ctx.Error("inputs input, skip and gamma are required");
    }
    for (const Tensor* t : {input, skip, gamma, beta, bias}) {
      if (t != nullptr && t->type() != DataType::kFloat) return ctx.Error("inputs must be float, got ", t->Describe());
    }
    if (input->rank() < 1) return ctx.Error("input must have rank >= 1, got ", input->Describe());
    const int64_t cols = input->dim(input->rank() - 1);
    if (!IsSuffixBroadcast(*skip, input->shape())) {
      return ctx.Error("skip ", skip->Describe(),
                       " must have input's shape or broadcast over its leading axes; input is ", input->Describe());
    }
    if (cols > 0 && skip->size() % cols != 0) {
      return ctx.Error("skip ", skip->Describe(), " must cover input's last axis (", cols, ")");
    }
    const char* names[] = {"gamma", "beta", "bias"};
    const Tensor* vectors[] = {gamma, beta, bias};
    for (int i = 0; i < 3; ++i) {
      const Tensor* t = vectors[i];
      if (t != nullptr && (t->rank() != 1 || t->dim(0) != cols)) {
        return ctx.Error(names[i], " must be 1-D of size ", cols, " (input's last axis), got ", t->Describe());
      }
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, input->shape()));
    Shape stat_shape = input->shape();
    stat_shape.back() = 1;
    const int64_t rows = cols == 0 ? 0 : input->size() / cols;
    float* outs[4] = {y->data<float>(), nullptr, nullptr, nullptr};
    Tensor scratch[3];
    for (size_t i = 1; i < 4; ++i) {
      const Shape& shape = i == 3 ? input->shape() : stat_shape;
      if (ctx.output_requested(i)) {
        ONYX_ASSIGN_OR_RETURN(Tensor * t, ctx.OutputForOverwrite(i, DataType::kFloat, shape));
        outs[i] = t->data<float>();
      } else if (i < 3) {
        ONYX_ASSIGN_OR_RETURN(scratch[i], ctx.Allocate(DataType::kFloat, {rows}, false));
        outs[i] = scratch[i].data<float>();
      }
    }
    // Without a sum output, each row's sum goes into y and is normalized in place.
    float* sum = outs[3];
    const float* in = input->data<float>();
    const float* sk = skip->data<float>();
    const int64_t skip_size = skip->size();
    const float* g = gamma->data<float>();
    const float* be = beta ? beta->data<float>() : nullptr;
    const float* bi = bias ? bias->data<float>() : nullptr;
    const float eps = epsilon_;
    ThreadPool::For(
        ctx.thread_pool(), rows,
        [&](int64_t begin, int64_t end) {
          for (int64_t r = begin; r < end; ++r) {
            const float* a = in + r * cols;
            const float* b = sk + (r * cols) % std::max<int64_t>(skip_size, 1);
            float* s = sum ? sum + r * cols : outs[0] + r * cols;
            if (bi != nullptr) {
              for (int64_t c = 0; c < cols; ++c) s[c] = (a[c] + bi[c]) + b[c];
            } else {
              for (int64_t c = 0; c < cols; ++c) s[c] = a[c] + b[c];
            }
            LayerNormRow(s, g, be, outs[0] + r * cols, cols, eps, outs[1] + r, outs[2] + r);
          }
        },
        std::max<int64_t>(1, 4096 / std::max<int64_t>(cols, 1)));
    return Status::Ok();
  }

 private:
  float epsilon_ = 1e-5f;
};

Status InferSkipLayerNorm(ir::InferenceContext& ctx) {
  ctx.CopyInputToOutput(0, 0);
  const ir::SymShape* x = ctx.input_shape(0);
  for (size_t i = 1; i < ctx.output_count() && i <= 3; ++i) {
    if (i == 3) {
      ctx.CopyInputToOutput(0, 3);
    } else if (x == nullptr || x->empty()) {
      ctx.SetOutput(i, DataType::kFloat, std::nullopt);
    } else {
      ir::SymShape stats = *x;
      stats.back() = ir::Dim::Known(1);
      ctx.SetOutput(i, DataType::kFloat, stats);
    }
  }
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(SkipLayerNormKernel,
                     KernelDef("CPU", "com.onyx", "SkipLayerNormalization").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "SkipLayerNormalization", InferSkipLayerNorm);

}  // namespace onyx::cpu::fused
