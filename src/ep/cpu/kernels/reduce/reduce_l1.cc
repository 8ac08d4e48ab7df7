// ReduceL1: the sum of absolute values over the reduced axes. Axes are an attribute before opset 18 and input 1 from it
// on.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/reduce/reduce.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct ReduceL1Op {
  template <typename C, typename Get>
  C Run(int64_t n, const Get& get) const {
    return SumOf<C>(n, get, [](C v) {
      if constexpr (std::is_unsigned_v<C>) {
        return v;
      } else {
        return v < C{0} ? WrapSub(C{0}, v) : v;
      }
    });
  }
};

using ReduceL1Kernel = ReduceKernel<ReduceL1Op, 18, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(ReduceL1Kernel, KernelDef("CPU", "", "ReduceL1").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "ReduceL1", [](ir::InferenceContext& ctx) { return InferReduce(ctx, 18); });

}  // namespace onyx::cpu
