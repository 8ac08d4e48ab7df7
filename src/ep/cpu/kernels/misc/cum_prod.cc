// CumProd: running products along an axis (a scalar input), optionally exclusive (the product before each
// element, 1 for the first) and reversed (multiplying from the end). Half types accumulate in float.
#include <type_traits>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class CumProdKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("exclusive", &exclusive_, 0));
    ONYX_RETURN_IF_ERROR(info.GetInt("reverse", &reverse_, 0));
    if ((exclusive_ != 0 && exclusive_ != 1) || (reverse_ != 0 && reverse_ != 1))
      return info.Error("'exclusive' and 'reverse' must be 0 or 1");
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* a = ctx.input(1);
    if (x == nullptr || a == nullptr) return ctx.Error("inputs 'x' and 'axis' are required");
    ONYX_ASSIGN_OR_RETURN(std::vector<int64_t> av, ReadInt64s(*a, ctx.node(), "input 'axis'"));
    if (av.size() != 1) return ctx.Error("'axis' must be a scalar");
    int64_t axis = av[0];
    if (!NormalizeAxis(&axis, x->rank())) return ctx.Error("axis ", av[0], " is out of range for ", x->Describe());
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), x->shape()));
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= x->dim(d);
    for (int64_t d = axis + 1; d < x->rank(); ++d) inner *= x->dim(d);
    const int64_t n = x->dim(axis);
    return Dispatch<float, double, int32_t, int64_t, uint32_t, uint64_t, Float16, BFloat16>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          constexpr bool kHalf = std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>;
          using A = std::conditional_t<kHalf, float, T>;
          const T* in = x->data<T>();
          T* out = y->data<T>();
          auto load = [](T v) -> A {
            if constexpr (kHalf)
              return ToFloat(v);
            else
              return v;
          };
          auto store = [](A v) -> T {
            if constexpr (kHalf)
              return FromFloat<T>(v);
            else
              return v;
          };
          for (int64_t o = 0; o < outer; ++o) {
            for (int64_t i = 0; i < inner; ++i) {
              A prod = static_cast<A>(1);
              for (int64_t s = 0; s < n; ++s) {
                const int64_t pos = reverse_ ? n - 1 - s : s;
                const int64_t off = (o * n + pos) * inner + i;
                // Unsigned arithmetic wraps like the reference; signed overflow is computed in the unsigned
                // type so that it wraps too instead of being undefined.
                auto mul = [](A p, A v) -> A {
                  if constexpr (std::is_integral_v<A>) {
                    using U = std::make_unsigned_t<A>;
                    return static_cast<A>(static_cast<U>(p) * static_cast<U>(v));
                  } else {
                    return p * v;
                  }
                };
                if (exclusive_) {
                  out[off] = store(prod);
                  prod = mul(prod, load(in[off]));
                } else {
                  prod = mul(prod, load(in[off]));
                  out[off] = store(prod);
                }
              }
            }
          }
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  int64_t exclusive_ = 0, reverse_ = 0;
};

}  // namespace

ONYX_REGISTER_KERNEL(CumProdKernel, KernelDef("CPU", "", "CumProd").Versions(26));
ONYX_REGISTER_SHAPE_INFERENCE("", "CumProd", ir::InferSameAsInput);

}  // namespace onyx::cpu
