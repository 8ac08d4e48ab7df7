// Shared machinery of the one-input element-wise operators (Relu, Exp, Sqrt, ...): a kernel template that
// dispatches on the element type, reads the op's attributes once, and runs a tight parallel loop.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "ep/cpu/kernels/math/broadcast.h"

namespace onyx::cpu {

// out[i] = f(x[i]) in parallel blocks; f maps stored types.
template <typename T, typename O, typename F>
void UnaryLoop(const T* x, O* out, int64_t n, ThreadPool* pool, int64_t grain, const F& f) {
  ThreadPool::For(
      pool, n,
      [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) out[i] = f(x[i]);
      },
      grain);
}

template <typename T, typename F>
using UnaryResult = decltype(Store<T>(std::declval<const F&>()(Load(T{}))));

// Output 0 = f(input 0), same shape; f works on compute types.
template <typename T, typename F>
Status RunUnary(KernelContext& ctx, const Tensor& x, const F& f, int64_t grain) {
  using O = UnaryResult<T, F>;
  ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.OutputForOverwrite(0, DataTypeOf<O>::value, x.shape()));
  auto g = Lift1<T>(f);
  UnaryLoop(x.data<T>(), out->data<O>(), x.size(), ctx.thread_pool(), grain, g);
  return Status::Ok();
}

// Op: `template <typename C> C operator()(C x) const` on compute types (float for float16/bfloat16);
// optionally `Status Init(const KernelInfo&)` to read attributes, and `static constexpr bool kCostly`.
template <typename Op, typename... Ts>
class UnaryKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if constexpr (requires { op_.Init(info); }) {
      return op_.Init(info);
    } else {
      return Status::Ok();
    }
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 0 is missing or not a tensor");
    int64_t grain = kCheapGrain;
    if constexpr (requires { Op::kCostly; }) {
      if (Op::kCostly) grain = kCostlyGrain;
    }
    // An op with a vectorized float form (`void FloatSpan(const float* x, float* y, int64_t n) const`) runs it
    // on float tensors, block by block.
    if constexpr (requires(const Op& op, const float* a, float* b) { op.FloatSpan(a, b, int64_t{0}); }) {
      if (x->type() == DataType::kFloat) {
        ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.OutputForOverwrite(0, DataType::kFloat, x->shape()));
        const float* src = x->data<float>();
        float* dst = out->data<float>();
        ThreadPool::For(
            ctx.thread_pool(), x->size(),
            [&](int64_t begin, int64_t end) { op_.FloatSpan(src + begin, dst + begin, end - begin); }, grain);
        return Status::Ok();
      }
    }
    return Dispatch<Ts...>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          return RunUnary<T>(ctx, *x, op_, grain);
        },
        ctx.node());
  }

 private:
  Op op_;
};

// Unary ops on floating-point values that also accept integers (Erf, ...): integers go through double.
template <typename C, typename F>
inline C ViaFloat(C x, const F& f) {
  if constexpr (std::is_integral_v<C>) {
    return static_cast<C>(f(static_cast<double>(x)));
  } else {
    return f(x);
  }
}

}  // namespace onyx::cpu
