// Min: element-wise minimum (NaN propagates) of any number of inputs, with numpy broadcasting across all of them.
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct MinOp {
  template <typename C>
  C operator()(C a, C b) const {
    return (a != a || a < b) ? a : b;
  }
};

using MinKernel = VariadicKernel<MinOp, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(MinKernel, KernelDef("CPU", "", "Min").Versions(1).Types(0, types::Numeric()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Min", ir::InferElementwise);

}  // namespace onyx::cpu
