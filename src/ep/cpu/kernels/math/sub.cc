// Sub: element-wise subtraction with numpy broadcasting (legacy broadcast/axis attributes below opset 7).
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct SubOp {
  template <typename C>
  C operator()(C a, C b) const {
    return WrapSub(a, b);
  }
};

using SubKernel = BinaryKernel<SubOp, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(SubKernel, KernelDef("CPU", "", "Sub").Versions(1).Types(0, types::Numeric()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Sub", InferBinaryArith);

}  // namespace onyx::cpu
