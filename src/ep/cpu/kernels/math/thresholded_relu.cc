// ThresholdedRelu: x where x > alpha, 0 elsewhere.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct ThresholdedReluOp {
  Status Init(const KernelInfo& info) {
    ONYX_RETURN_IF_ERROR(info.GetFloat("alpha", &alpha_, 1.0f));
    return Status::Ok();
  }

  template <typename C>
  C operator()(C x) const {
    return x > static_cast<C>(alpha_) ? x : C{0};
  }

  float alpha_ = 1.0f;
};

using ThresholdedReluKernel = UnaryKernel<ThresholdedReluOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(ThresholdedReluKernel,
                     KernelDef("CPU", "", "ThresholdedRelu").Versions(10).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "ThresholdedRelu", ir::InferSameAsInput);

}  // namespace onyx::cpu
