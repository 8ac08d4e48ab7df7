// ReduceLogSum: log of the sum over the reduced axes (integers through double). Axes are an attribute before opset 18
// and input 1 from it on.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/reduce/reduce.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct ReduceLogSumOp {
  template <typename C, typename Get>
  C Run(int64_t n, const Get& get) const {
    C sum = SumOf<C>(n, get, [](C v) { return v; });
    if constexpr (std::is_integral_v<C>) {
      return static_cast<C>(std::log(static_cast<double>(sum)));
    } else {
      return std::log(sum);
    }
  }
};

using ReduceLogSumKernel = ReduceKernel<ReduceLogSumOp, 18, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(ReduceLogSumKernel, KernelDef("CPU", "", "ReduceLogSum").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "ReduceLogSum", [](ir::InferenceContext& ctx) { return InferReduce(ctx, 18); });

}  // namespace onyx::cpu
