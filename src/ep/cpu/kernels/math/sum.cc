// Sum: element-wise sum of any number of inputs, with numpy broadcasting across all of them.
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct SumOp {
  template <typename C>
  C operator()(C a, C b) const {
    return WrapAdd(a, b);
  }
};

using SumKernel = VariadicKernel<SumOp, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(SumKernel, KernelDef("CPU", "", "Sum").Versions(1).Types(0, types::Numeric()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Sum", ir::InferElementwise);

}  // namespace onyx::cpu
