// Log: element-wise natural logarithm.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct LogOp {
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    return std::log(x);
  }
};

using LogKernel = UnaryKernel<LogOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(LogKernel, KernelDef("CPU", "", "Log").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Log", ir::InferSameAsInput);

}  // namespace onyx::cpu
