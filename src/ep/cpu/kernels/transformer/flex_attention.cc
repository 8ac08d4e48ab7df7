// ai.onnx.preview FlexAttention (1): scaled dot-product attention on rank-4 inputs whose scores and
// probabilities may be rewritten by the score_mod and prob_mod subgraphs. Scores and probabilities are handed to
// the subgraphs in softmax_precision (float unless the inputs are double). Float inputs with float precision run
// on the GEMM in float; the rest computes in double (the plain form, which the tests compare the float one to).
#include <algorithm>
#include <cmath>
#include <limits>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/nn/gemm_util.h"
#include "ep/cpu/kernels/transformer/transformer_util.h"
#include "ep/cpu/ukernels/float_vmath.h"
#include "framework/graph_runner.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

class FlexAttentionKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetFloat("scale", &scale_, 0.0f));
    ONYX_RETURN_IF_ERROR(info.GetInt("softmax_precision", &precision_, int64_t{0}));
    if (!std::isfinite(scale_)) return info.Error("scale must be finite, got ", scale_);
    if (precision_ != 0 && precision_ != static_cast<int64_t>(DataType::kFloat) &&
        precision_ != static_cast<int64_t>(DataType::kDouble))
      return info.Error("softmax_precision must be float or double, got ", precision_);
    score_mod_ = info.subgraph("score_mod");
    prob_mod_ = info.subgraph("prob_mod");
    for (const GraphRunner* g : {score_mod_, prob_mod_}) {
      if (g && (g->graph().inputs().size() != 1 || g->graph().outputs().size() != 1))
        return info.Error("score_mod and prob_mod take one input and produce one output");
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* q = ctx.input(0);
    const Tensor* k = ctx.input(1);
    const Tensor* v = ctx.input(2);
    if (!q || !k || !v) return ctx.Error("inputs Q, K and V are required");
    if (!transformer::IsFloatType(q->type()) || k->type() != q->type() || v->type() != q->type())
      return ctx.Error("Q, K and V must share a floating-point type");
    if (q->rank() != 4 || k->rank() != 4 || v->rank() != 4)
      return ctx.Error("Q, K and V must be 4-D, got ", q->Describe(), ", ", k->Describe(), ", ", v->Describe());
    const int64_t b_n = q->dim(0), hq = q->dim(1), sq = q->dim(2), dk = q->dim(3);
    const int64_t hk = k->dim(1), skv = k->dim(2), dv = v->dim(3);
    if (k->dim(0) != b_n || v->dim(0) != b_n || v->dim(1) != hk || v->dim(2) != skv || k->dim(3) != dk)
      return ctx.Error("K ", k->Describe(), " and V ", v->Describe(), " do not match Q ", q->Describe());
    if (hk == 0 || hq % hk != 0) return ctx.Error("q heads ", hq, " must be a multiple of kv heads ", hk);
    const int64_t group = hq / hk;
    const DataType prec = precision_ != 0                  ? static_cast<DataType>(precision_)
                          : q->type() == DataType::kDouble ? DataType::kDouble
                                                           : DataType::kFloat;
    if (q->type() == DataType::kFloat && prec == DataType::kFloat) {
      return ComputeFloat(ctx, *q, *k, *v);
    }
    const double scale = scale_ != 0.0f ? static_cast<double>(scale_) : 1.0 / std::sqrt(static_cast<double>(dk));
    const std::vector<double> qv = ToDoubleVector(*q), kv = ToDoubleVector(*k), vv = ToDoubleVector(*v);
    const Shape score_shape{b_n, hq, sq, skv};
    std::vector<double> scores(static_cast<size_t>(b_n * hq * sq * skv));
    for (int64_t bh = 0; bh < b_n * hq; ++bh) {
      const int64_t b = bh / hq, hh = (bh % hq) / group;
      for (int64_t i = 0; i < sq; ++i)
        for (int64_t j = 0; j < skv; ++j) {
          double s = 0;
          for (int64_t d = 0; d < dk; ++d) s += qv[(bh * sq + i) * dk + d] * kv[((b * hk + hh) * skv + j) * dk + d];
          scores[(bh * sq + i) * skv + j] = s * scale;
        }
    }
    ONYX_RETURN_IF_ERROR(ApplyMod(ctx, score_mod_, "score_mod", prec, score_shape, &scores));
    for (int64_t r = 0; r < b_n * hq * sq; ++r) {
      double* row = scores.data() + r * skv;
      double mx = -std::numeric_limits<double>::infinity();
      for (int64_t j = 0; j < skv; ++j) mx = std::max(mx, row[j]);
      double sum = 0;
      for (int64_t j = 0; j < skv; ++j) sum += (row[j] = std::exp(row[j] - mx));
      for (int64_t j = 0; j < skv; ++j) row[j] /= sum;
    }
    ONYX_RETURN_IF_ERROR(ApplyMod(ctx, prob_mod_, "prob_mod", prec, score_shape, &scores));
    std::vector<double> y(static_cast<size_t>(b_n * hq * sq * dv), 0.0);
    for (int64_t bh = 0; bh < b_n * hq; ++bh) {
      const int64_t b = bh / hq, hh = (bh % hq) / group;
      for (int64_t i = 0; i < sq; ++i)
        for (int64_t j = 0; j < skv; ++j) {
          const double p = scores[(bh * sq + i) * skv + j];
          for (int64_t d = 0; d < dv; ++d) y[(bh * sq + i) * dv + d] += p * vv[((b * hk + hh) * skv + j) * dv + d];
        }
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(0, q->type(), Shape{b_n, hq, sq, dv}));
    FromDoubleVector(y, out);
    return Status::Ok();
  }

 private:
  // The float form: per (batch, head) the scores by one GEMM, the mods on the whole score tensor, a vectorized
  // softmax per row, and the output by a second GEMM.
  Status ComputeFloat(KernelContext& ctx, const Tensor& q, const Tensor& k, const Tensor& v) const {
    const int64_t b_n = q.dim(0), hq = q.dim(1), sq = q.dim(2), dk = q.dim(3);
    const int64_t hk = k.dim(1), skv = k.dim(2), dv = v.dim(3), group = hq / hk;
    const float scale = scale_ != 0.0f ? scale_ : static_cast<float>(1.0 / std::sqrt(static_cast<double>(dk)));
    const Shape score_shape{b_n, hq, sq, skv};
    // The GEMMs write every score and output element when there are keys and a head size; otherwise they stay 0.
    const bool written = dk > 0 && skv > 0;
    ONYX_ASSIGN_OR_RETURN(Tensor scores, ctx.Allocate(DataType::kFloat, score_shape, !written));
    const Shape out_shape{b_n, hq, sq, dv};
    ONYX_ASSIGN_OR_RETURN(Tensor * out, skv > 0 ? ctx.OutputForOverwrite(0, DataType::kFloat, out_shape)
                                                : ctx.Output(0, DataType::kFloat, out_shape));
    if (b_n * hq * sq == 0) return Status::Ok();
    const float *qp = q.data<float>(), *kp = k.data<float>(), *vp = v.data<float>();
    float* sp = scores.data<float>();
    if (written) {
      ThreadPool::For(
          ctx.thread_pool(), b_n * hq,
          [&](int64_t begin, int64_t end) {
            for (int64_t bh = begin; bh < end; ++bh) {
              const int64_t kv_head = (bh / hq) * hk + (bh % hq) / group;
              Gemm(false, true, sq, skv, dk, scale, qp + bh * sq * dk, dk, kp + kv_head * skv * dk, dk, 0.0f,
                   sp + bh * sq * skv, skv, nullptr);
            }
          },
          1);
    }
    ONYX_RETURN_IF_ERROR(ApplyModFloat(ctx, score_mod_, "score_mod", &scores));
    sp = scores.data<float>();
    if (skv > 0) {
      ThreadPool::For(
          ctx.thread_pool(), b_n * hq * sq,
          [&](int64_t begin, int64_t end) {
            for (int64_t r = begin; r < end; ++r) vmath::SoftmaxRow(sp + r * skv, sp + r * skv, skv);
          },
          std::max<int64_t>(1, 4096 / skv));
    }
    ONYX_RETURN_IF_ERROR(ApplyModFloat(ctx, prob_mod_, "prob_mod", &scores));
    sp = scores.data<float>();
    float* yp = out->data<float>();
    if (dv > 0 && skv > 0) {
      ThreadPool::For(
          ctx.thread_pool(), b_n * hq,
          [&](int64_t begin, int64_t end) {
            for (int64_t bh = begin; bh < end; ++bh) {
              const int64_t kv_head = (bh / hq) * hk + (bh % hq) / group;
              Gemm(false, false, sq, dv, skv, 1.0f, sp + bh * sq * skv, skv, vp + kv_head * skv * dv, dv, 0.0f,
                   yp + bh * sq * dv, dv, nullptr);
            }
          },
          1);
    }
    return Status::Ok();
  }

  // Runs `mod` on the float `values`, replacing them with its output (converted to float when it is another
  // floating-point type).
  Status ApplyModFloat(KernelContext& ctx, const GraphRunner* mod, const char* name, Tensor* values) const {
    if (!mod) return Status::Ok();
    const Shape shape = values->shape();
    const std::vector<Value> inputs{Value(*values)};
    std::vector<Value> outputs;
    ONYX_RETURN_IF_ERROR(ctx.RunSubgraph(*mod, inputs, &outputs));
    if (outputs.size() != 1 || !outputs[0].is_tensor() || outputs[0].tensor().shape() != shape ||
        !transformer::IsFloatType(outputs[0].tensor().type()))
      return ctx.Error(name, " must return one floating-point tensor of shape ", ShapeToString(shape));
    const Tensor& result = outputs[0].tensor();
    ONYX_ASSIGN_OR_RETURN(*values, ctx.Allocate(DataType::kFloat, shape, false));
    if (result.type() == DataType::kFloat) {
      std::copy(result.data<float>(), result.data<float>() + result.size(), values->data<float>());
    } else {
      FromDoubleVector(ToDoubleVector(result), values);
    }
    return Status::Ok();
  }

  // Runs `mod` on `values` (shape `shape`) in the precision `prec`, replacing them with its output.
  Status ApplyMod(KernelContext& ctx, const GraphRunner* mod, const char* name, DataType prec, const Shape& shape,
                  std::vector<double>* values) const {
    if (!mod) return Status::Ok();
    ONYX_ASSIGN_OR_RETURN(Tensor in, ctx.Allocate(prec, shape));
    FromDoubleVector(*values, &in);
    const std::vector<Value> inputs{Value(std::move(in))};
    std::vector<Value> outputs;
    ONYX_RETURN_IF_ERROR(ctx.RunSubgraph(*mod, inputs, &outputs));
    if (outputs.size() != 1 || !outputs[0].is_tensor() || outputs[0].tensor().shape() != shape ||
        !transformer::IsFloatType(outputs[0].tensor().type()))
      return ctx.Error(name, " must return one floating-point tensor of shape ", ShapeToString(shape));
    *values = ToDoubleVector(outputs[0].tensor());
    return Status::Ok();
  }

  float scale_ = 0.0f;
  int64_t precision_ = 0;
  const GraphRunner* score_mod_ = nullptr;
  const GraphRunner* prob_mod_ = nullptr;
};

Status InferFlexAttention(ir::InferenceContext& ctx) {
  const DataType t = ctx.input_elem_type(0);
  const ir::SymShape* q = ctx.input_shape(0);
  const ir::SymShape* v = ctx.input_shape(2);
  if (q && v && q->size() == 4 && v->size() == 4)
    ctx.SetOutput(0, t, ir::SymShape{(*q)[0], (*q)[1], (*q)[2], (*v)[3]});
  else
    ctx.SetOutput(0, t, std::nullopt);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(FlexAttentionKernel, KernelDef("CPU", "ai.onnx.preview", "FlexAttention").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.preview", "FlexAttention", InferFlexAttention);

}  // namespace onyx::cpu
