// Sqrt: element-wise square root.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct SqrtOp {
  template <typename C>
  C operator()(C x) const {
    return std::sqrt(x);
  }
};

using SqrtKernel = UnaryKernel<SqrtOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(SqrtKernel, KernelDef("CPU", "", "Sqrt").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Sqrt", ir::InferSameAsInput);

}  // namespace onyx::cpu
