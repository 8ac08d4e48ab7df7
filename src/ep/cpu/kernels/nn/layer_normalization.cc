// LayerNormalization: normalizes over the axes from `axis` on; Scale and B
// broadcast to those axes. The optional Mean and InvStdDev outputs keep X's
// leading dims with 1s after.
#include <cmath>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

// Expands `t` (numpy-broadcastable to `target`, right-aligned) into target's
// element count.
bool BroadcastTo(const Tensor& t, const Shape& target, std::vector<double>* out) {
  const std::vector<double> v = ToDoubleVector(t);
  const size_t rank = target.size();
  if (static_cast<size_t>(t.rank()) > rank) {
    for (int64_t i = 0; i < t.rank() - static_cast<int64_t>(rank); ++i)
      if (t.dim(i) != 1) return false;
  }
  int64_t total = 1;
  for (int64_t d : target) total *= d;
  out->assign(static_cast<size_t>(total), 0.0);
  std::vector<int64_t> src_dim(rank, 1);
  for (size_t i = 0; i < rank && i < static_cast<size_t>(t.rank()); ++i) {
    const int64_t d = t.dim(t.rank() - 1 - static_cast<int64_t>(i));
    if (d != 1 && d != target[rank - 1 - i]) return false;
    src_dim[rank - 1 - i] = d;
  }
  for (int64_t o = 0; o < total; ++o) {
    int64_t rem = o, src = 0, stride = 1;
    for (size_t i = rank; i-- > 0;) {
      const int64_t idx = rem % target[i];
      rem /= target[i];
      if (src_dim[i] != 1) src += idx * stride;
      stride *= src_dim[i];
    }
    (*out)[o] = v[src];
  }
  return true;
}

class LayerNormalizationKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("axis", &axis_, int64_t{-1}));
    ONYX_RETURN_IF_ERROR(info.GetFloat("epsilon", &epsilon_, 1e-5f));
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* scale = ctx.input(1);
    const Tensor* bias = ctx.input(2);
    if (!x || !scale) return ctx.Error("inputs X and Scale are required");
    const int64_t rank = x->rank();
    const int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
    if (axis < 0 || axis >= rank) return ctx.Error("axis ", axis_, " is out of range for ", x->Describe());
    const Shape inner_shape(x->shape().begin() + axis, x->shape().end());
    int64_t outer = 1, inner = 1;
    for (int64_t i = 0; i < axis; ++i) outer *= x->dim(i);
    for (int64_t d : inner_shape) inner *= d;
    std::vector<double> s, b;
    if (!BroadcastTo(*scale, inner_shape, &s))
      return ctx.Error("Scale ", scale->Describe(), " does not broadcast to ", ShapeToString(inner_shape));
    if (bias && !BroadcastTo(*bias, inner_shape, &b))
      return ctx.Error("B ", bias->Describe(), " does not broadcast to ", ShapeToString(inner_shape));
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), x->shape()));
    Shape stat_shape = x->shape();
    for (int64_t i = axis; i < rank; ++i) stat_shape[i] = 1;
    std::vector<double> means(static_cast<size_t>(outer)), inv_std(static_cast<size_t>(outer));
    ONYX_ASSIGN_OR_RETURN(Tensor xc, AsComputeTensor(ctx, *x));
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    const double eps = epsilon_;
    Status st = Dispatch<float, double>(
        xc.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* xp = xc.data<T>();
          T* yp = yc.data<T>();
          ThreadPool::For(
              ctx.thread_pool(), outer,
              [&](int64_t begin, int64_t end) {
                for (int64_t o = begin; o < end; ++o) {
                  const T* xi = xp + o * inner;
                  double mean = 0, var = 0;
                  for (int64_t i = 0; i < inner; ++i) mean += xi[i];
                  mean /= static_cast<double>(inner);
                  for (int64_t i = 0; i < inner; ++i) var += (xi[i] - mean) * (xi[i] - mean);
                  var /= static_cast<double>(inner);
                  const double inv = 1.0 / std::sqrt(var + eps);
                  means[o] = mean;
                  inv_std[o] = inv;
                  for (int64_t i = 0; i < inner; ++i)
                    yp[o * inner + i] = static_cast<T>((xi[i] - mean) * inv * s[i] + (b.empty() ? 0.0 : b[i]));
                }
              },
              1);
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    // Mean and InvStdDev are in the stash type, float unless the model says
    // otherwise (double X keeps double).
    for (size_t i = 1; i <= 2; ++i) {
      if (!ctx.output_requested(i)) continue;
      const DataType t = x->type() == DataType::kDouble ? DataType::kDouble : DataType::kFloat;
      ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(i, t, stat_shape));
      FromDoubleVector(i == 1 ? means : inv_std, out);
    }
    return Status::Ok();
  }

 private:
  int64_t axis_ = -1;
  float epsilon_ = 1e-5f;
};

Status InferLayerNormalization(ir::InferenceContext& ctx) {
  ctx.CopyInputToOutput(0, 0);
  const ir::SymShape* x = ctx.input_shape(0);
  const DataType t = ctx.input_elem_type(0) == DataType::kDouble ? DataType::kDouble : DataType::kFloat;
  for (size_t i = 1; i < ctx.output_count() && i <= 2; ++i) {
    if (!x) {
      ctx.SetOutput(i, t, std::nullopt);
      continue;
    }
    ir::SymShape s = *x;
    int64_t axis = ctx.attr_int("axis", -1);
    if (axis < 0) axis += static_cast<int64_t>(s.size());
    for (size_t k = 0; k < s.size(); ++k)
      if (static_cast<int64_t>(k) >= axis) s[k] = ir::Dim::Known(1);
    ctx.SetOutput(i, t, s);
  }
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(LayerNormalizationKernel,
                     KernelDef("CPU", "", "LayerNormalization").Versions(17).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "LayerNormalization", InferLayerNormalization);

}  // namespace onyx::cpu
