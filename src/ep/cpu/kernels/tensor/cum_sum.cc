// CumSum: running sums along an axis (a scalar input), optionally exclusive (the sum before each element) and
// reversed (summing from the end). Half types accumulate in float.
#include <cstdint>
#include <type_traits>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

template <typename T>
struct Accumulator {
  using type = T;
};
template <>
struct Accumulator<Float16> {
  using type = float;
};
template <>
struct Accumulator<BFloat16> {
  using type = float;
};

class CumSumKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("exclusive", &exclusive_, 0));
    return info.GetInt("reverse", &reverse_, 0);
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
    return Dispatch<float, double, int32_t, int64_t, uint32_t, uint64_t, Float16, BFloat16, int8_t, int16_t, uint8_t,
                    uint16_t>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          using A = typename Accumulator<T>::type;
          const T* in = x->data<T>();
          T* out = y->data<T>();
          auto load = [](T v) -> A {
            if constexpr (std::is_same_v<A, T>)
              return v;
            else
              return ToFloat(v);
          };
          auto store = [](A v) -> T {
            if constexpr (std::is_same_v<A, T>)
              return v;
            else
              return FromFloat<T>(v);
          };
          // Integer sums wrap, as the reference's do; signed ones are added in a wide unsigned type, where
          // overflow is defined (UBSan found int32 sums overflowing under the run fuzz target).
          auto add = [](A a, A b) -> A {
            if constexpr (std::is_integral_v<A>) {
              using U = std::conditional_t<sizeof(A) <= 4, uint32_t, uint64_t>;
              return static_cast<A>(static_cast<U>(a) + static_cast<U>(b));
            } else {
              return static_cast<A>(a + b);
            }
          };
          for (int64_t o = 0; o < outer; ++o) {
            for (int64_t i = 0; i < inner; ++i) {
              A sum{};
              for (int64_t s = 0; s < n; ++s) {
                const int64_t pos = reverse_ ? n - 1 - s : s;
                const int64_t off = (o * n + pos) * inner + i;
                if (exclusive_) {
                  out[off] = store(sum);
                  sum = add(sum, load(in[off]));
                } else {
                  sum = add(sum, load(in[off]));
                  out[off] = store(sum);
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

ONYX_REGISTER_KERNEL(CumSumKernel, KernelDef("CPU", "", "CumSum").Versions(11));
ONYX_REGISTER_SHAPE_INFERENCE("", "CumSum", ir::InferSameAsInput);

}  // namespace onyx::cpu
