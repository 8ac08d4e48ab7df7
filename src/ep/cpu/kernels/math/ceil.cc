// Ceil: element-wise ceiling.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct CeilOp {
  template <typename C>
  C operator()(C x) const {
    return std::ceil(x);
  }
};

using CeilKernel = UnaryKernel<CeilOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(CeilKernel, KernelDef("CPU", "", "Ceil").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Ceil", ir::InferSameAsInput);

}  // namespace onyx::cpu
