// Det: determinants of the square matrices in the last two dimensions, by LU factorization with partial
// pivoting. Every type is factored in double: the extra precision is cheap here and keeps float16 results
// from losing digits through the elimination.
#include <cmath>
#include <utility>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

// Determinant of the n x n row-major matrix in `a` (destroyed).
double LuDeterminant(double* a, int64_t n) {
  double det = 1.0;
  for (int64_t k = 0; k < n; ++k) {
    int64_t pivot = k;
    double best = std::fabs(a[k * n + k]);
    for (int64_t r = k + 1; r < n; ++r) {
      const double v = std::fabs(a[r * n + k]);
      if (v > best) {
        best = v;
        pivot = r;
      }
    }
    if (best == 0.0) return 0.0;
    if (pivot != k) {
      for (int64_t c = 0; c < n; ++c) std::swap(a[k * n + c], a[pivot * n + c]);
      det = -det;
    }
    const double d = a[k * n + k];
    det *= d;
    for (int64_t r = k + 1; r < n; ++r) {
      const double f = a[r * n + k] / d;
      if (f == 0.0) continue;
      for (int64_t c = k + 1; c < n; ++c) a[r * n + c] -= f * a[k * n + c];
    }
  }
  return det;
}

template <typename T>
double LoadAsDouble(T v) {
  if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>)
    return static_cast<double>(ToFloat(v));
  else
    return static_cast<double>(v);
}

template <typename T>
T StoreFromDouble(double v) {
  if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>)
    return FromFloat<T>(static_cast<float>(v));
  else
    return static_cast<T>(v);
}

class DetKernel final : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'X' is required");
    const int64_t rank = x->rank();
    if (rank < 2) return ctx.Error("input 'X' must have rank >= 2, got ", x->Describe());
    const int64_t n = x->dim(rank - 1);
    if (x->dim(rank - 2) != n) return ctx.Error("input 'X' must hold square matrices, got ", x->Describe());
    Shape out_shape(x->shape().begin(), x->shape().end() - 2);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), out_shape));
    int64_t batch = 1;
    for (int64_t d = 0; d < rank - 2; ++d) batch *= x->dim(d);
    const int64_t mat = n * n;
    return Dispatch<float, double, Float16, BFloat16>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* in = x->data<T>();
          T* out = y->data<T>();
          ThreadPool::For(ctx.thread_pool(), batch, [&](int64_t begin, int64_t end) {
            std::vector<double> a(static_cast<size_t>(mat));
            for (int64_t b = begin; b < end; ++b) {
              for (int64_t i = 0; i < mat; ++i) a[static_cast<size_t>(i)] = LoadAsDouble(in[b * mat + i]);
              out[b] = StoreFromDouble<T>(LuDeterminant(a.data(), n));
            }
          });
          return Status::Ok();
        },
        ctx.node());
  }
};

Status InferDet(ir::InferenceContext& ctx) {
  const DataType type = ctx.input_elem_type(0);
  const ir::SymShape* shape = ctx.input_shape(0);
  if (shape == nullptr) {
    ctx.SetOutput(0, type, std::nullopt);
    return Status::Ok();
  }
  if (shape->size() < 2) return ctx.Error("input 'X' must have rank >= 2");
  const ir::Dim& r = (*shape)[shape->size() - 2];
  const ir::Dim& c = (*shape)[shape->size() - 1];
  if (r.known() && c.known() && r.value != c.value) return ctx.Error("input 'X' must hold square matrices");
  ctx.SetOutput(0, type, ir::SymShape(shape->begin(), shape->end() - 2));
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(DetKernel, KernelDef("CPU", "", "Det").Versions(11));
ONYX_REGISTER_SHAPE_INFERENCE("", "Det", InferDet);

}  // namespace onyx::cpu
