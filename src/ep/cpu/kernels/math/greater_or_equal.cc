// GreaterOrEqual: a >= b element-wise with numpy broadcasting; bool output.
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct GreaterOrEqualOp {
  template <typename C>
  bool operator()(C a, C b) const {
    return a >= b;
  }
};

using GreaterOrEqualKernel = BinaryKernel<GreaterOrEqualOp, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(GreaterOrEqualKernel,
                     KernelDef("CPU", "", "GreaterOrEqual").Versions(12).Types(0, types::Numeric()));
ONYX_REGISTER_SHAPE_INFERENCE("", "GreaterOrEqual", InferBinaryBool);

}  // namespace onyx::cpu
