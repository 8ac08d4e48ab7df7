// LayerNormalization: normalizes over the axes from `axis` on; Scale and B
// broadcast to those axes. The optional Mean and InvStdDev outputs keep X's
// leading dims with 1s after.
#include <algorithm>
#include <cmath>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "ep/cpu/ukernels/float_vmath.h"
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
    if (x->type() == DataType::kFloat && FitsInner(*scale, inner_shape) && (!bias || FitsInner(*bias, inner_shape))) {
      return ComputeFloat(ctx, *x, *scale, bias, axis, outer, inner);
    }
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
          ThreadPool::For(ctx.thread_pool(), outer, 3.0 * static_cast<double>(inner) * kCheapNsPerElement,
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
                                yp[o * inner + i] =
                                    static_cast<T>((xi[i] - mean) * inv * s[i] + (b.empty() ? 0.0 : b[i]));
                            }
                          });
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
  // A float tensor whose elements are laid out as the normalized dims already (its shape is theirs, less or
  // plus leading 1s), so it is read in place.
  static bool FitsInner(const Tensor& t, const Shape& inner_shape) {
    if (t.type() != DataType::kFloat) return false;
    const int64_t n = static_cast<int64_t>(inner_shape.size());
    for (int64_t i = 0; i < std::max(t.rank(), n); ++i) {
      const int64_t td = i < t.rank() ? t.dim(t.rank() - 1 - i) : 1;
      const int64_t id = i < n ? inner_shape[static_cast<size_t>(n - 1 - i)] : 1;
      if (td != id) return false;
    }
    return true;
  }

  // Float X: each row by the vectorized row kernel (statistics in float lanes, as the stash type says).
  Status ComputeFloat(KernelContext& ctx, const Tensor& x, const Tensor& scale, const Tensor* bias, int64_t axis,
                      int64_t outer, int64_t inner) const {
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, x.shape()));
    Shape stat_shape = x.shape();
    for (int64_t i = axis; i < x.rank(); ++i) stat_shape[static_cast<size_t>(i)] = 1;
    float* stats[2] = {nullptr, nullptr};
    for (size_t i = 1; i <= 2; ++i) {
      if (!ctx.output_requested(i)) continue;
      ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.OutputForOverwrite(i, DataType::kFloat, stat_shape));
      stats[i - 1] = out->data<float>();
    }
    const float* xp = x.data<float>();
    const float* sp = scale.data<float>();
    const float* bp = bias ? bias->data<float>() : nullptr;
    float* yp = y->data<float>();
    const float eps = epsilon_;
    ThreadPool::For(
        ctx.thread_pool(), outer,
        [&](int64_t begin, int64_t end) {
          for (int64_t o = begin; o < end; ++o) {
            vmath::LayerNormRow(xp + o * inner, sp, bp, yp + o * inner, inner, eps, stats[0] ? stats[0] + o : nullptr,
                                stats[1] ? stats[1] + o : nullptr);
          }
        },
        std::max<int64_t>(1, 4096 / std::max<int64_t>(inner, 1)));
    return Status::Ok();
  }

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
