// Gelu: x * Phi(x) with the exact erf form (approximate="none") or the tanh approximation ("tanh").
#include <cmath>

#include "ep/cpu/kernels/math/unary.h"
#include "ep/cpu/ukernels/float_vmath.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct GeluOp {
  static constexpr bool kCostly = true;

  Status Init(const KernelInfo& info) {
    std::string approximate;
    ONYX_RETURN_IF_ERROR(info.GetString("approximate", &approximate, std::string("none")));
    if (approximate != "none" && approximate != "tanh") {
      return info.Error("attribute approximate must be \"none\" or \"tanh\", got \"", approximate, "\"");
    }
    tanh_ = approximate == "tanh";
    return Status::Ok();
  }

  void FloatSpan(const float* x, float* y, int64_t n) const {
    if (tanh_) {
      vmath::GeluTanh(x, y, n);
    } else {
      vmath::Gelu(x, y, n);
    }
  }

  template <typename C>
  C operator()(C x) const {
    if (tanh_) {
      const C k = static_cast<C>(0.7978845608028654);  // sqrt(2 / pi)
      return C{0.5} * x * (C{1} + std::tanh(k * (x + static_cast<C>(0.044715) * x * x * x)));
    }
    return C{0.5} * x * (C{1} + std::erf(x * static_cast<C>(0.7071067811865476)));
  }

  bool tanh_ = false;
};

using GeluKernel = UnaryKernel<GeluOp, ONYX_ALL_FLOAT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(GeluKernel, KernelDef("CPU", "", "Gelu").Versions(20).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Gelu", ir::InferSameAsInput);

}  // namespace onyx::cpu
