// com.onyx:LayerNormalization: the standard LayerNormalization (ai.onnx 17) for models that import an older
// opset, where the FuseLayerNorm pass cannot write the standard operator. Same inputs (X, Scale, B?), outputs
// (Y, Mean?, InvStdDev?) and attributes (axis, epsilon, stash_type = 1); float only (docs/FUSED_OPERATORS.md).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "ep/cpu/kernels/fused/fused_math.h"
#include "common/thread_pool.h"
#include "ep/cpu/ukernels/float_vmath.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu::fused {

// Also used by com.onyx:SkipLayerNormalization; the vector form is in ep/cpu/ukernels/float_vmath.h.
void LayerNormRow(const float* x, const float* scale, const float* bias, float* y, int64_t n, float epsilon,
                  float* mean_out, float* inv_std_out) {
  vmath::LayerNormRow(x, scale, bias, y, n, epsilon, mean_out, inv_std_out);
}

namespace {

// `t` as `inner` floats laid out like the normalized shape: its own data when the shapes already agree, else
// an expanded copy in *storage (numpy broadcasting, right-aligned). False when `t` does not broadcast.
bool ExpandToNormalized(const Tensor& t, const Shape& normalized, std::vector<float>* storage, const float** out) {
  const int64_t rank = static_cast<int64_t>(normalized.size());
  for (int64_t i = 0; i + rank < t.rank(); ++i) {
    if (t.dim(i) != 1) return false;
  }
  Shape src(normalized.size(), 1);
  for (int64_t i = 0; i < rank && i < t.rank(); ++i) {
    const int64_t d = t.dim(t.rank() - 1 - i);
    if (d != 1 && d != normalized[static_cast<size_t>(rank - 1 - i)]) return false;
    src[static_cast<size_t>(rank - 1 - i)] = d;
  }
  if (src == normalized) {
    *out = t.data<float>();
    return true;
  }
  int64_t total = 1;
  for (int64_t d : normalized) total *= d;
  storage->assign(static_cast<size_t>(total), 0.0f);
  const float* data = t.data<float>();
  for (int64_t o = 0; o < total; ++o) {
    int64_t rem = o, index = 0, stride = 1;
    for (int64_t i = rank - 1; i >= 0; --i) {
      const int64_t dim = normalized[static_cast<size_t>(i)];
      const int64_t coord = rem % dim;
      rem /= dim;
      if (src[static_cast<size_t>(i)] != 1) index += coord * stride;
      stride *= src[static_cast<size_t>(i)];
    }
    (*storage)[static_cast<size_t>(o)] = data[index];
  }
  *out = storage->data();
  return true;
}

class LayerNormKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("axis", &axis_, int64_t{-1}));
    ONYX_RETURN_IF_ERROR(info.GetFloat("epsilon", &epsilon_, 1e-5f));
    int64_t stash_type = 1;
    ONYX_RETURN_IF_ERROR(info.GetInt("stash_type", &stash_type, int64_t{1}));
    if (stash_type != 1) return info.Error("only stash_type 1 (float) is supported, got ", stash_type);
    if (!(epsilon_ >= 0.0f)) return info.Error("epsilon must be >= 0, got ", epsilon_);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* scale = ctx.input(1);
    const Tensor* bias = ctx.input(2);
    if (x == nullptr || scale == nullptr) return ctx.Error("inputs X and Scale are required");
    for (const Tensor* t : {x, scale, bias}) {
      if (t != nullptr && t->type() != DataType::kFloat) return ctx.Error("inputs must be float, got ", t->Describe());
    }
    const int64_t rank = x->rank();
    const int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
    if (axis < 0 || axis >= rank) return ctx.Error("axis ", axis_, " is out of range for X ", x->Describe());
    const Shape normalized(x->shape().begin() + axis, x->shape().end());
    int64_t inner = 1;
    for (int64_t d : normalized) inner *= d;
    const int64_t outer = inner == 0 ? 0 : x->size() / inner;
    std::vector<float> scale_storage, bias_storage;
    const float* s = nullptr;
    const float* b = nullptr;
    if (!ExpandToNormalized(*scale, normalized, &scale_storage, &s)) {
      return ctx.Error("Scale ", scale->Describe(), " does not broadcast to the normalized shape ",
                       ShapeToString(normalized));
    }
    if (bias != nullptr && !ExpandToNormalized(*bias, normalized, &bias_storage, &b)) {
      return ctx.Error("B ", bias->Describe(), " does not broadcast to the normalized shape ",
                       ShapeToString(normalized));
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, x->shape()));
    Shape stat_shape = x->shape();
    for (int64_t i = axis; i < rank; ++i) stat_shape[static_cast<size_t>(i)] = 1;
    float* mean = nullptr;
    float* inv_std = nullptr;
    Tensor mean_scratch, inv_scratch;
    if (ctx.output_requested(1)) {
      ONYX_ASSIGN_OR_RETURN(Tensor * t, ctx.OutputForOverwrite(1, DataType::kFloat, stat_shape));
      mean = t->data<float>();
    } else {
      ONYX_ASSIGN_OR_RETURN(mean_scratch, ctx.Allocate(DataType::kFloat, {outer}, false));
      mean = mean_scratch.data<float>();
    }
    if (ctx.output_requested(2)) {
      ONYX_ASSIGN_OR_RETURN(Tensor * t, ctx.OutputForOverwrite(2, DataType::kFloat, stat_shape));
      inv_std = t->data<float>();
    } else {
      ONYX_ASSIGN_OR_RETURN(inv_scratch, ctx.Allocate(DataType::kFloat, {outer}, false));
      inv_std = inv_scratch.data<float>();
    }
    const float* xp = x->data<float>();
    float* yp = y->data<float>();
    const float eps = epsilon_;
    ThreadPool::For(
        ctx.thread_pool(), outer,
        [&](int64_t begin, int64_t end) {
          for (int64_t o = begin; o < end; ++o) {
            LayerNormRow(xp + o * inner, s, b, yp + o * inner, inner, eps, mean + o, inv_std + o);
          }
        },
        std::max<int64_t>(1, 4096 / std::max<int64_t>(inner, 1)));
    return Status::Ok();
  }

 private:
  int64_t axis_ = -1;
  float epsilon_ = 1e-5f;
};

Status InferLayerNorm(ir::InferenceContext& ctx) {
  ctx.CopyInputToOutput(0, 0);
  const ir::SymShape* x = ctx.input_shape(0);
  for (size_t i = 1; i < ctx.output_count() && i <= 2; ++i) {
    if (x == nullptr) {
      ctx.SetOutput(i, DataType::kFloat, std::nullopt);
      continue;
    }
    ir::SymShape stats = *x;
    int64_t axis = ctx.attr_int("axis", -1);
    if (axis < 0) axis += static_cast<int64_t>(stats.size());
    if (axis < 0 || axis >= static_cast<int64_t>(stats.size())) {
      return ctx.Error("axis ", ctx.attr_int("axis", -1), " is out of range for rank ", stats.size());
    }
    for (size_t k = static_cast<size_t>(axis); k < stats.size(); ++k) stats[k] = ir::Dim::Known(1);
    ctx.SetOutput(i, DataType::kFloat, stats);
  }
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(LayerNormKernel,
                     KernelDef("CPU", "com.onyx", "LayerNormalization").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "LayerNormalization", InferLayerNorm);

}  // namespace onyx::cpu::fused
