// Div: element-wise division with numpy broadcasting (legacy broadcast/axis attributes below opset 7).
// Integer division truncates toward zero; a zero divisor is an error rather than a crash.
#include <limits>

#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct DivOp {
  template <typename C>
  C operator()(C a, C b) const {
    if constexpr (std::is_integral_v<C> && std::is_signed_v<C>) {
      // min / -1 overflows; the wrapped result is min again, which is what two's complement negation gives.
      if (b == -1) return WrapSub(C{0}, a);
    }
    return a / b;
  }

  template <typename T>
  Status Check(const KernelContext& ctx, const Tensor& a, const Tensor& b) const {
    if constexpr (std::is_integral_v<T>) {
      for (T v : b.values<T>()) {
        if (v == 0) return ctx.Error("integer division by zero (input 1 holds a 0)");
      }
    }
    return Status::Ok();
  }
};

using DivKernel = BinaryKernel<DivOp, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(DivKernel, KernelDef("CPU", "", "Div").Versions(1).Types(0, types::Numeric()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Div", InferBinaryArith);

}  // namespace onyx::cpu
