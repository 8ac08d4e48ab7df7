// ReduceProd: the product over the reduced axes. Axes are an attribute before opset 18 and input 1 from it on.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/reduce/reduce.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct ReduceProdOp {
  template <typename C, typename Get>
  C Run(int64_t n, const Get& get) const {
    C p = C{1};
    for (int64_t k = 0; k < n; ++k) p = WrapMul(p, get(k));
    return p;
  }
};

using ReduceProdKernel = ReduceKernel<ReduceProdOp, 18, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(ReduceProdKernel, KernelDef("CPU", "", "ReduceProd").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "ReduceProd", [](ir::InferenceContext& ctx) { return InferReduce(ctx, 18); });

}  // namespace onyx::cpu
