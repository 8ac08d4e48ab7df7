// Max: element-wise maximum (NaN propagates) of any number of inputs, with numpy broadcasting across all of them.
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct MaxOp {
  template <typename C>
  C operator()(C a, C b) const {
    return (a != a || a > b) ? a : b;
  }
};

using MaxKernel = VariadicKernel<MaxOp, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(MaxKernel, KernelDef("CPU", "", "Max").Versions(1).Types(0, types::Numeric()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Max", ir::InferElementwise);

}  // namespace onyx::cpu
