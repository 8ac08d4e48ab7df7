// TopK: the k largest (or smallest, opset 11) elements along an axis with their indices, sorted; equal values
// keep the lower index first. K is an attribute at opset 1 and a 1-element input from opset 10.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

template <typename T>
double SortKey(const T& v) {
  if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>)
    return ToFloat(v);
  else
    return static_cast<double>(v);
}

class TopKKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("axis", &axis_, -1));
    ONYX_RETURN_IF_ERROR(info.GetInt("largest", &largest_, 1));
    ONYX_RETURN_IF_ERROR(info.GetInt("sorted", &sorted_, 1));
    if (info.opset() < 10) {
      if (!info.has_attr("k")) return info.Error("the 'k' attribute is required before opset 10");
      ONYX_RETURN_IF_ERROR(info.GetInt("k", &attr_k_));
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'X' is missing");
    int64_t k = attr_k_;
    if (ctx.node().opset() >= 10) {
      const Tensor* kt = ctx.input(1);
      if (kt == nullptr) return ctx.Error("input 'K' is required");
      ONYX_ASSIGN_OR_RETURN(std::vector<int64_t> kv, ReadInt64s(*kt, ctx.node(), "input 'K'"));
      if (kv.size() != 1) return ctx.Error("'K' must hold one value");
      k = kv[0];
    }
    int64_t axis = axis_;
    if (!NormalizeAxis(&axis, x->rank())) return ctx.Error("axis ", axis_, " is out of range for ", x->Describe());
    const int64_t n = x->dim(axis);
    if (k < 0 || k > n) return ctx.Error("k = ", k, " is out of range for an axis of size ", n);
    Shape out_shape = x->shape();
    out_shape[static_cast<size_t>(axis)] = k;
    ONYX_ASSIGN_OR_RETURN(Tensor * values, ctx.Output(0, x->type(), out_shape));
    ONYX_ASSIGN_OR_RETURN(Tensor * indices, ctx.Output(1, DataType::kInt64, out_shape));
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= x->dim(d);
    for (int64_t d = axis + 1; d < x->rank(); ++d) inner *= x->dim(d);
    const bool largest = largest_ != 0;
    return Dispatch<ONYX_NUMERIC_TYPES, Float16, BFloat16>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* in = x->data<T>();
          T* out_v = values->data<T>();
          int64_t* out_i = indices->data<int64_t>();
          ThreadPool::For(ctx.thread_pool(), outer * inner, [&](int64_t b, int64_t e) {
            std::vector<int64_t> order(static_cast<size_t>(n));
            std::vector<double> keys(static_cast<size_t>(n));
            for (int64_t s = b; s < e; ++s) {
              const int64_t o = s / inner, i = s % inner, base = o * n * inner + i;
              for (int64_t j = 0; j < n; ++j) keys[static_cast<size_t>(j)] = SortKey(in[base + j * inner]);
              std::iota(order.begin(), order.end(), 0);
              // NaN sorts as the largest value, like numpy.
              auto before = [&](int64_t a, int64_t c) {
                double ka = keys[static_cast<size_t>(a)], kc = keys[static_cast<size_t>(c)];
                bool na = std::isnan(ka), nc = std::isnan(kc);
                if (na || nc) {
                  if (na && nc) return a < c;
                  return largest ? na : nc;
                }
                if (ka != kc) return largest ? ka > kc : ka < kc;
                return a < c;
              };
              std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
              for (int64_t j = 0; j < k; ++j) {
                const int64_t src = order[static_cast<size_t>(j)];
                out_v[(o * k + j) * inner + i] = in[base + src * inner];
                out_i[(o * k + j) * inner + i] = src;
              }
            }
          });
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  int64_t axis_ = -1, largest_ = 1, sorted_ = 1, attr_k_ = 0;
};

Status InferTopK(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  const ir::SymShape* in = ctx.input_shape(0);
  if (!in) {
    SetOutputIfKnown(ctx, 0, t, std::nullopt);
    ctx.SetOutput(1, DataType::kInt64, std::nullopt);
    return Status::Ok();
  }
  int64_t axis = ctx.attr_int("axis", -1);
  if (!NormalizeAxis(&axis, static_cast<int64_t>(in->size()))) return ctx.Error("axis ", axis, " is out of range");
  ir::SymShape out = *in;
  ir::Dim k;
  if (ctx.node().opset() < 10) {
    k = ir::Dim::Known(ctx.attr_int("k", 0));
  } else if (std::optional<std::vector<int64_t>> kv = ConstantInts(ctx, 1); kv && kv->size() == 1) {
    k = ir::Dim::Known((*kv)[0]);
  }
  out[static_cast<size_t>(axis)] = k;
  SetOutputIfKnown(ctx, 0, t, out);
  ctx.SetOutput(1, DataType::kInt64, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(TopKKernel, KernelDef("CPU", "", "TopK").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "TopK", InferTopK);

}  // namespace onyx::cpu
