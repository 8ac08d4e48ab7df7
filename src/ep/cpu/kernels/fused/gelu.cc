// com.onyx:Gelu (written by the FuseGelu pass, see docs/FUSED_OPERATORS.md): y = x * Phi(x) in float, with the
// exact form (approximate="none") or the tanh approximation ("tanh").
// The vector math is ep/cpu/ukernels/float_vmath.h (AVX-512, AVX2 or portable, chosen at run time).
#include <cstdint>
#include <string>

#include "ep/cpu/kernels/fused/fused_math.h"
#include "common/thread_pool.h"
#include "ep/cpu/ukernels/float_vmath.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu::fused {

// Also used by com.onyx:BiasGelu (bias_gelu.cc). x and y may be the same buffer.
void GeluSpan(const float* x, float* y, int64_t n, bool tanh_form) {
  if (tanh_form) {
    vmath::GeluTanh(x, y, n);
  } else {
    vmath::Gelu(x, y, n);
  }
}

// Reads the `approximate` attribute shared by Gelu and BiasGelu.
Status ReadGeluApproximate(const KernelInfo& info, bool* tanh_form) {
  std::string approximate;
  ONYX_RETURN_IF_ERROR(info.GetString("approximate", &approximate, std::string("none")));
  if (approximate != "none" && approximate != "tanh") {
    return info.Error("attribute approximate must be \"none\" or \"tanh\", got \"", approximate, "\"");
  }
  *tanh_form = approximate == "tanh";
  return Status::Ok();
}

namespace {

class GeluKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return ReadGeluApproximate(info, &tanh_); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input X is required");
    if (x->type() != DataType::kFloat) return ctx.Error("X must be float, got ", x->Describe());
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, x->shape()));
    const float* xp = x->data<float>();
    float* yp = y->data<float>();
    ThreadPool::For(
        ctx.thread_pool(), x->size(),
        [&](int64_t begin, int64_t end) { GeluSpan(xp + begin, yp + begin, end - begin, tanh_); }, 1 << 13);
    return Status::Ok();
  }

 private:
  bool tanh_ = false;
};

}  // namespace

ONYX_REGISTER_KERNEL(GeluKernel, KernelDef("CPU", "com.onyx", "Gelu").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "Gelu", ir::InferSameAsInput);

}  // namespace onyx::cpu::fused
