// Reciprocal: element-wise 1/x.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct ReciprocalOp {
  template <typename C>
  C operator()(C x) const {
    return C{1} / x;
  }
};

using ReciprocalKernel = UnaryKernel<ReciprocalOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(ReciprocalKernel, KernelDef("CPU", "", "Reciprocal").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Reciprocal", ir::InferSameAsInput);

}  // namespace onyx::cpu
