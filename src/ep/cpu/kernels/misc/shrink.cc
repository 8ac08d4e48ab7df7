// Shrink: y = x + bias below -lambd, x - bias above lambd, 0 between. Integer inputs compare and shift in
// float and convert back, as the formula is defined on reals.
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

// Converts a real result to an integer type, wrapping like a C cast from int64 would; an out-of-range
// float-to-int cast is undefined behaviour, so the value is clamped to the 64-bit range first.
template <typename T>
T WrapToInt(double r) {
  if (std::isnan(r)) return T{0};
  if (r >= 9223372036854775808.0) {
    return r >= 18446744073709551616.0 ? static_cast<T>(~uint64_t{0}) : static_cast<T>(static_cast<uint64_t>(r));
  }
  if (r < -9223372036854775808.0) return static_cast<T>(std::numeric_limits<int64_t>::min());
  return static_cast<T>(static_cast<int64_t>(r));
}

class ShrinkKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetFloat("lambd", &lambd_, 0.5f));
    return info.GetFloat("bias", &bias_, 0.0f);
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'input' is required");
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), x->shape()));
    const int64_t n = x->size();
    return Dispatch<float, double, Float16, int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* in = x->data<T>();
          T* out = y->data<T>();
          ThreadPool::For(ctx.thread_pool(), n, kCheapNsPerElement, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) {
              if constexpr (std::is_same_v<T, Float16>) {
                const float v = ToFloat(in[i]);
                const float r = v < -lambd_ ? v + bias_ : (v > lambd_ ? v - bias_ : 0.0f);
                out[i] = FromFloat<Float16>(r);
              } else {
                using C = std::conditional_t<std::is_same_v<T, float>, float, double>;
                const C v = static_cast<C>(in[i]);
                const C l = static_cast<C>(lambd_), b = static_cast<C>(bias_);
                const C r = v < -l ? v + b : (v > l ? v - b : C{0});
                if constexpr (std::is_integral_v<T>) {
                  out[i] = WrapToInt<T>(r);
                } else {
                  out[i] = static_cast<T>(r);
                }
              }
            }
          });
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  float lambd_ = 0.5f, bias_ = 0.0f;
};

}  // namespace

ONYX_REGISTER_KERNEL(ShrinkKernel, KernelDef("CPU", "", "Shrink").Versions(9));
ONYX_REGISTER_SHAPE_INFERENCE("", "Shrink", ir::InferSameAsInput);

}  // namespace onyx::cpu
