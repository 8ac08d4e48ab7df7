// ReduceMax: the maximum over the reduced axes (NaN propagates; bool from opset 20). Axes are an attribute before opset
// 18 and input 1 from it on.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/reduce/reduce.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct ReduceMaxOp {
  // Column form (reduce.h, ReduceColumns); a NaN, once taken, stays (no comparison with it is true).
  static constexpr bool kColumns = true;
  template <typename C>
  static C Start() {
    return -std::numeric_limits<C>::infinity();
  }
  static float Add(float acc, float v) { return v != v || v > acc ? v : acc; }
  static float Finish(float acc, int64_t) { return acc; }
  template <typename C, typename Get>
  C Run(int64_t n, const Get& get) const {
    return ExtremeOf<C, false>(n, get);
  }
};

using ReduceMaxKernel = ReduceKernel<ReduceMaxOp, 18, ONYX_ALL_NUMERIC_TYPES, bool>;

}  // namespace

ONYX_REGISTER_KERNEL(ReduceMaxKernel, KernelDef("CPU", "", "ReduceMax").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "ReduceMax", [](ir::InferenceContext& ctx) { return InferReduce(ctx, 18); });

}  // namespace onyx::cpu
