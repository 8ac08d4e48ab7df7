// Mean: element-wise mean of any number of inputs, with numpy broadcasting across all of them.
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct MeanOp {
  template <typename C>
  C operator()(C a, C b) const {
    return a + b;
  }
  template <typename C>
  C Finish(C acc, size_t n) const {
    return acc / static_cast<C>(n);
  }
};

using MeanKernel = VariadicKernel<MeanOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(MeanKernel, KernelDef("CPU", "", "Mean").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Mean", ir::InferElementwise);

}  // namespace onyx::cpu
