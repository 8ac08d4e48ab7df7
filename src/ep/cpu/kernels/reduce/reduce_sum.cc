// ReduceSum: the sum over the reduced axes. Axes are an attribute before opset 13 and input 1 from it on.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/reduce/reduce.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct ReduceSumOp {
  // Column form (reduce.h, ReduceColumns).
  static constexpr bool kColumns = true;
  template <typename C>
  static C Start() {
    return C{0};
  }
  static float Add(float acc, float v) { return acc + v; }
  static float Finish(float acc, int64_t) { return acc; }
  template <typename C, typename Get>
  C Run(int64_t n, const Get& get) const {
    return SumOf<C>(n, get, [](C v) { return v; });
  }
};

using ReduceSumKernel = ReduceKernel<ReduceSumOp, 13, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(ReduceSumKernel, KernelDef("CPU", "", "ReduceSum").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "ReduceSum", [](ir::InferenceContext& ctx) { return InferReduce(ctx, 13); });

}  // namespace onyx::cpu
