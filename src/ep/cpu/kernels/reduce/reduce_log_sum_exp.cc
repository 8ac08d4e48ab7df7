// ReduceLogSumExp: log(sum(exp(x))) over the reduced axes, shifted by the maximum so exp cannot overflow. Axes are an
// attribute before opset 18 and input 1 from it on.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/reduce/reduce.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct ReduceLogSumExpOp {
  template <typename C, typename Get>
  C Run(int64_t n, const Get& get) const {
    using F = std::conditional_t<std::is_integral_v<C>, double, C>;
    auto getf = [&get](int64_t k) { return static_cast<F>(get(k)); };
    F mx = ExtremeOf<F, false>(n, getf);
    if (!std::isfinite(mx)) return static_cast<C>(mx);  // empty set (-inf), an inf or a NaN decides alone
    F sum = SumOf<F>(n, getf, [mx](F v) { return std::exp(v - mx); });
    return static_cast<C>(mx + std::log(sum));
  }
};

using ReduceLogSumExpKernel = ReduceKernel<ReduceLogSumExpOp, 18, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(ReduceLogSumExpKernel, KernelDef("CPU", "", "ReduceLogSumExp").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "ReduceLogSumExp", [](ir::InferenceContext& ctx) { return InferReduce(ctx, 18); });

}  // namespace onyx::cpu
