// LeakyRelu: x for x >= 0, alpha * x below.
#include <cmath>
#include <type_traits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct LeakyReluOp {
  Status Init(const KernelInfo& info) {
    ONYX_RETURN_IF_ERROR(info.GetFloat("alpha", &alpha_, 0.01f));
    return Status::Ok();
  }

  template <typename C>
  C operator()(C x) const {
    return x < C{0} ? static_cast<C>(alpha_) * x : x;
  }

  float alpha_ = 0.01f;
};

using LeakyReluKernel = UnaryKernel<LeakyReluOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(LeakyReluKernel, KernelDef("CPU", "", "LeakyRelu").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "LeakyRelu", ir::InferSameAsInput);

}  // namespace onyx::cpu
