// ReduceMax: the maximum over the reduced axes (NaN propagates; bool from opset 20). Axes are an attribute before opset
// 18 and input 1 from it on.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/reduce/reduce.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct ReduceMaxOp {
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
