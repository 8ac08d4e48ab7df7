// LessOrEqual: a <= b element-wise with numpy broadcasting; bool output.
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct LessOrEqualOp {
  template <typename C>
  bool operator()(C a, C b) const {
    return a <= b;
  }
};

using LessOrEqualKernel = BinaryKernel<LessOrEqualOp, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(LessOrEqualKernel, KernelDef("CPU", "", "LessOrEqual").Versions(12).Types(0, types::Numeric()));
ONYX_REGISTER_SHAPE_INFERENCE("", "LessOrEqual", InferBinaryBool);

}  // namespace onyx::cpu
