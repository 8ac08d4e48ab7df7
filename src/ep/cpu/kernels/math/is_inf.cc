// IsInf: true where the value is an infinity of a sign selected by detect_negative / detect_positive.
#include <cmath>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct IsInfOp {
  Status Init(const KernelInfo& info) {
    ONYX_RETURN_IF_ERROR(info.GetInt("detect_negative", &negative_, 1));
    return info.GetInt("detect_positive", &positive_, 1);
  }

  template <typename C>
  bool operator()(C x) const {
    return std::isinf(x) && (x > 0 ? positive_ != 0 : negative_ != 0);
  }

  int64_t negative_ = 1, positive_ = 1;
};

using IsInfKernel = UnaryKernel<IsInfOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(IsInfKernel, KernelDef("CPU", "", "IsInf").Versions(10).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "IsInf", [](ir::InferenceContext& ctx) -> Status {
  const ir::SymShape* s = ctx.input_shape(0);
  ctx.SetOutput(0, DataType::kBool, s ? std::optional<ir::SymShape>(*s) : std::nullopt);
  return Status::Ok();
});

}  // namespace onyx::cpu
