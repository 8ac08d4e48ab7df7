// Add: element-wise addition with numpy broadcasting (legacy broadcast/axis attributes below opset 7).
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct AddOp {
  template <typename C>
  C operator()(C a, C b) const {
    return WrapAdd(a, b);
  }
};

using AddKernel = BinaryKernel<AddOp, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(AddKernel, KernelDef("CPU", "", "Add").Versions(1).Types(0, types::Numeric()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Add", InferBinaryArith);

}  // namespace onyx::cpu
