// HardSigmoid: max(0, min(1, alpha * x + beta)).
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct HardSigmoidOp {
  Status Init(const KernelInfo& info) {
    ONYX_RETURN_IF_ERROR(info.GetFloat("alpha", &alpha_, 0.2f));
    ONYX_RETURN_IF_ERROR(info.GetFloat("beta", &beta_, 0.5f));
    return Status::Ok();
  }

  template <typename C>
  C operator()(C x) const {
    C v = static_cast<C>(alpha_) * x + static_cast<C>(beta_);
    return v < C{0} ? C{0} : (v > C{1} ? C{1} : v);
  }

  float alpha_ = 0.2f;
  float beta_ = 0.5f;
};

using HardSigmoidKernel = UnaryKernel<HardSigmoidOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(HardSigmoidKernel, KernelDef("CPU", "", "HardSigmoid").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "HardSigmoid", ir::InferSameAsInput);

}  // namespace onyx::cpu
