// ReduceMean: the mean over the reduced axes (integers divide with truncation; an empty set gives NaN or 0). Axes are
// an attribute before opset 18 and input 1 from it on.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/reduce/reduce.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct ReduceMeanOp {
  // Column form (reduce.h, ReduceColumns).
  static constexpr bool kColumns = true;
  template <typename C>
  static C Start() {
    return C{0};
  }
  static float Add(float acc, float v) { return acc + v; }
  static float Finish(float acc, int64_t n) { return acc / static_cast<float>(n); }
  template <typename C, typename Get>
  C Run(int64_t n, const Get& get) const {
    C sum = SumOf<C>(n, get, [](C v) { return v; });
    if constexpr (std::is_integral_v<C>) {
      if (n == 0) return C{0};
    }
    return sum / static_cast<C>(n);
  }
};

using ReduceMeanKernel = ReduceKernel<ReduceMeanOp, 18, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(ReduceMeanKernel, KernelDef("CPU", "", "ReduceMean").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "ReduceMean", [](ir::InferenceContext& ctx) { return InferReduce(ctx, 18); });

}  // namespace onyx::cpu
