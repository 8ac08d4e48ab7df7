// Shared by GlobalAveragePool, GlobalMaxPool and GlobalLpPool: every (n, c)
// plane reduces to one value.
#pragma once

#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

// Runs reduce(const T* plane, int64_t plane_size) -> T for every plane of X [N,
// C, spatial...] into Y [N, C, 1, ...]. Half types are reduced in float.
template <typename Reduce>
Status GlobalPool(KernelContext& ctx, Reduce&& reduce) {
  const Tensor* x = ctx.input(0);
  if (!x) return ctx.Error("input X is required");
  if (x->rank() < 2) return ctx.Error("X must have rank >= 2 (N, C, spatial...), got ", x->Describe());
  Shape out_shape(x->shape().size(), 1);
  out_shape[0] = x->dim(0);
  out_shape[1] = x->dim(1);
  const int64_t planes = x->dim(0) * x->dim(1);
  int64_t plane_size = 1;
  for (int64_t i = 2; i < x->rank(); ++i) plane_size *= x->dim(i);
  ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, x->type(), out_shape));
  if (planes == 0) return Status::Ok();
  ONYX_ASSIGN_OR_RETURN(Tensor xc, AsComputeTensor(ctx, *x));
  ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
  Status st = Dispatch<float, double>(
      xc.type(),
      [&](auto tag) -> Status {
        using T = decltype(tag);
        const T* xp = xc.data<T>();
        T* yp = yc.data<T>();
        ThreadPool::For(
            ctx.thread_pool(), planes,
            [&](int64_t begin, int64_t end) {
              for (int64_t p = begin; p < end; ++p) yp[p] = reduce(xp + p * plane_size, plane_size);
            },
            16);
        return Status::Ok();
      },
      ctx.node());
  if (!st.ok()) return st;
  FinishOutput(yc, y);
  return Status::Ok();
}

inline Status InferGlobalPool(ir::InferenceContext& ctx) {
  const ir::SymShape* x = ctx.input_shape(0);
  DataType t = ctx.input_elem_type(0);
  if (t == DataType::kUndefined) return Status::Ok();
  if (!x) {
    ctx.SetOutput(0, t, std::nullopt);
    return Status::Ok();
  }
  if (x->size() < 2) return ctx.Error("X must have rank >= 2, got rank ", x->size());
  ir::SymShape out(x->size(), ir::Dim::Known(1));
  out[0] = (*x)[0];
  out[1] = (*x)[1];
  ctx.SetOutput(0, t, out);
  return Status::Ok();
}

}  // namespace onyx::cpu
