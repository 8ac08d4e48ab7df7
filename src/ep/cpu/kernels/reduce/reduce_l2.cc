// ReduceL2: the Euclidean norm over the reduced axes (integers through double). Axes are an attribute before opset 18
// and input 1 from it on.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/reduce/reduce.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct ReduceL2Op {
  template <typename C, typename Get>
  C Run(int64_t n, const Get& get) const {
    C sq = SumOf<C>(n, get, [](C v) { return WrapMul(v, v); });
    if constexpr (std::is_integral_v<C>) {
      return static_cast<C>(std::sqrt(static_cast<double>(sq)));
    } else {
      return std::sqrt(sq);
    }
  }
};

using ReduceL2Kernel = ReduceKernel<ReduceL2Op, 18, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(ReduceL2Kernel, KernelDef("CPU", "", "ReduceL2").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "ReduceL2", [](ir::InferenceContext& ctx) { return InferReduce(ctx, 18); });

}  // namespace onyx::cpu
