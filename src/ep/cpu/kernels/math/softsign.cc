// Softsign: x / (1 + |x|).
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct SoftsignOp {
  template <typename C>
  C operator()(C x) const {
    return x / (C{1} + std::abs(x));
  }
};

using SoftsignKernel = UnaryKernel<SoftsignOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(SoftsignKernel, KernelDef("CPU", "", "Softsign").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Softsign", ir::InferSameAsInput);

}  // namespace onyx::cpu
