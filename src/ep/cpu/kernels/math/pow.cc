// Pow: element-wise power with numpy broadcasting. From opset 12 the exponent may have another type than
// the base; the result has the base's type. Integer bases with integral exponents use exact integer powers.
#include <cmath>

#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

template <typename T>
T IntPow(T base, uint64_t exp) {
  T result = 1;
  while (exp != 0) {
    if (exp & 1) result = WrapMul(result, base);
    base = WrapMul(base, base);
    exp >>= 1;
  }
  return result;
}

// x ** y for base type T and exponent type U (stored types).
template <typename T, typename U>
T PowOf(T x, U y) {
  if constexpr (std::is_integral_v<T>) {
    if constexpr (std::is_integral_v<U>) {
      if (y >= 0) return IntPow<T>(x, static_cast<uint64_t>(y));
    } else {
      double e = static_cast<double>(Load(y));
      if (e >= 0 && e < 64 && e == std::floor(e)) return IntPow<T>(x, static_cast<uint64_t>(e));
    }
    double r = std::pow(static_cast<double>(x), static_cast<double>(Load(y)));
    return std::isfinite(r) ? static_cast<T>(r) : T{0};
  } else if constexpr (std::is_same_v<T, double>) {
    return std::pow(x, static_cast<double>(Load(y)));
  } else {
    return Store<T>(std::pow(static_cast<float>(Load(x)), static_cast<float>(Load(y))));
  }
}

class PowKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return legacy_.Init(info); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* a = ctx.input(0);
    const Tensor* b = ctx.input(1);
    if (a == nullptr || b == nullptr) return ctx.Error("expects two tensor inputs");
    Shape b_shape = b->shape();
    ONYX_RETURN_IF_ERROR(legacy_.Apply(ctx, a->shape(), &b_shape));
    ONYX_ASSIGN_OR_RETURN(Shape out_shape, BroadcastAll(ctx, {a->shape(), b_shape}));
    return Dispatch<float, double, Float16, BFloat16, int32_t, int64_t>(
        a->type(),
        [&](auto base_tag) -> Status {
          using T = decltype(base_tag);
          ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(0, DataTypeOf<T>::value, out_shape));
          return Dispatch<ONYX_ALL_NUMERIC_TYPES>(
              b->type(),
              [&](auto exp_tag) -> Status {
                using U = decltype(exp_tag);
                if constexpr (std::is_floating_point_v<T>) {
                  if (b->size() == 1 && TrySpecialExponent<T>(ctx, *a, static_cast<double>(Load(*b->data<U>())), out)) {
                    return Status::Ok();
                  }
                }
                BroadcastPlan<2> plan = MakePlan<2>(out_shape, {&a->shape(), &b_shape});
                BinaryLoop(plan, a->data<T>(), b->data<U>(), out->data<T>(), ctx.thread_pool(), kCostlyGrain,
                           [](T x, U y) { return PowOf<T, U>(x, y); });
                return Status::Ok();
              },
              ctx.node());
        },
        ctx.node());
  }

 private:
  // Squares and square roots are the common exponents in models (variance, norms): skip pow() for them.
  template <typename T>
  static bool TrySpecialExponent(KernelContext& ctx, const Tensor& a, double e, Tensor* out) {
    if (out->size() != a.size()) return false;
    const T* x = a.data<T>();
    T* y = out->data<T>();
    auto run = [&](auto f) {
      ThreadPool::For(
          ctx.thread_pool(), a.size(),
          [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) y[i] = f(x[i]);
          },
          kCheapGrain);
    };
    if (e == 2) {
      run([](T v) { return v * v; });
    } else if (e == 1) {
      run([](T v) { return v; });
    } else if (e == 0.5) {
      run([](T v) { return std::sqrt(v); });
    } else if (e == 3) {
      run([](T v) { return v * v * v; });
    } else {
      return false;
    }
    return true;
  }

  LegacyBroadcast legacy_;
};

}  // namespace

ONYX_REGISTER_KERNEL(PowKernel, KernelDef("CPU", "", "Pow").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Pow", InferBinaryArith);

}  // namespace onyx::cpu
