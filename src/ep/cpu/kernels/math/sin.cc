// Sin: element-wise sin.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct SinOp {
  static constexpr bool kCostly = true;

  template <typename C>
  C operator()(C x) const {
    return std::sin(x);
  }
};

using SinKernel = UnaryKernel<SinOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(SinKernel, KernelDef("CPU", "", "Sin").Versions(7).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Sin", ir::InferSameAsInput);

}  // namespace onyx::cpu
