// Greater: a > b element-wise with numpy broadcasting; bool output.
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct GreaterOp {
  template <typename C>
  bool operator()(C a, C b) const {
    return a > b;
  }
};

using GreaterKernel = BinaryKernel<GreaterOp, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(GreaterKernel, KernelDef("CPU", "", "Greater").Versions(1).Types(0, types::Numeric()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Greater", InferBinaryBool);

}  // namespace onyx::cpu
