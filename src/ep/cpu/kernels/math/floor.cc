// Floor: element-wise floor.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct FloorOp {
  template <typename C>
  C operator()(C x) const {
    return std::floor(x);
  }
};

using FloorKernel = UnaryKernel<FloorOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(FloorKernel, KernelDef("CPU", "", "Floor").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Floor", ir::InferSameAsInput);

}  // namespace onyx::cpu
