// IsNaN: true where the value is NaN.
#include <cmath>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct IsNaNOp {
  template <typename C>
  bool operator()(C x) const {
    return std::isnan(x);
  }
};

using IsNaNKernel = UnaryKernel<IsNaNOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(IsNaNKernel, KernelDef("CPU", "", "IsNaN").Versions(9).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "IsNaN", [](ir::InferenceContext& ctx) -> Status {
  const ir::SymShape* s = ctx.input_shape(0);
  ctx.SetOutput(0, DataType::kBool, s ? std::optional<ir::SymShape>(*s) : std::nullopt);
  return Status::Ok();
});

}  // namespace onyx::cpu
