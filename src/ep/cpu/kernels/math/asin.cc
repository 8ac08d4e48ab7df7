// Asin: element-wise asin.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct AsinOp {
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    return std::asin(x);
  }
};

using AsinKernel = UnaryKernel<AsinOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(AsinKernel, KernelDef("CPU", "", "Asin").Versions(7).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Asin", ir::InferSameAsInput);

}  // namespace onyx::cpu
