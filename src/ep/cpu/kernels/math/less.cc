// Less: a < b element-wise with numpy broadcasting; bool output.
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct LessOp {
  template <typename C>
  bool operator()(C a, C b) const {
    return a < b;
  }
};

using LessKernel = BinaryKernel<LessOp, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(LessKernel, KernelDef("CPU", "", "Less").Versions(1).Types(0, types::Numeric()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Less", InferBinaryBool);

}  // namespace onyx::cpu
