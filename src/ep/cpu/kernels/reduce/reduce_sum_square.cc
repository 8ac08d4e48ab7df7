// ReduceSumSquare: the sum of squares over the reduced axes. Axes are an attribute before opset 18 and input 1 from it
// on.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/reduce/reduce.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct ReduceSumSquareOp {
  // Column form (reduce.h, ReduceColumns).
  static constexpr bool kColumns = true;
  template <typename C>
  static C Start() {
    return C{0};
  }
  static float Add(float acc, float v) { return acc + v * v; }
  static float Finish(float acc, int64_t) { return acc; }
  template <typename C, typename Get>
  C Run(int64_t n, const Get& get) const {
    return SumOf<C>(n, get, [](C v) { return WrapMul(v, v); });
  }
};

using ReduceSumSquareKernel = ReduceKernel<ReduceSumSquareOp, 18, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(ReduceSumSquareKernel, KernelDef("CPU", "", "ReduceSumSquare").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "ReduceSumSquare", [](ir::InferenceContext& ctx) { return InferReduce(ctx, 18); });

}  // namespace onyx::cpu
