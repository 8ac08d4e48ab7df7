// Momentum (ai.onnx.preview.training): inputs R, T, X_1..k, G_1..k, V_1..k; outputs X_new_1..k, V_new_1..k.
//   g = norm_coefficient * X + G; V_new = alpha * V + (T > 0 ? beta : 1) * g;
//   standard: X_new = X - R * V_new;  nesterov: X_new = X - R * (g + alpha * V_new)
#include <string>

#include "ep/cpu/kernels/training/optimizer_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class MomentumKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetFloat("alpha", &alpha_));
    ONYX_RETURN_IF_ERROR(info.GetFloat("beta", &beta_));
    ONYX_RETURN_IF_ERROR(info.GetFloat("norm_coefficient", &norm_coefficient_));
    std::string mode;
    ONYX_RETURN_IF_ERROR(info.GetString("mode", &mode));
    if (mode != "standard" && mode != "nesterov") {
      return info.Error("mode must be 'standard' or 'nesterov', got '", mode, "'");
    }
    nesterov_ = mode == "nesterov";
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    optim::OptimizerInputs in;
    ONYX_RETURN_IF_ERROR(optim::ReadOptimizerInputs(ctx, 3, &in));
    const double alpha = alpha_;
    const double beta = in.t > 0 ? static_cast<double>(beta_) : 1.0;
    for (int64_t i = 0; i < in.k; ++i) {
      const Tensor& x = *in.roles[0][static_cast<size_t>(i)];
      const Tensor& g = *in.roles[1][static_cast<size_t>(i)];
      const Tensor& v = *in.roles[2][static_cast<size_t>(i)];
      ONYX_ASSIGN_OR_RETURN(Tensor * x_new, optim::OptionalOutput(ctx, static_cast<size_t>(i), x));
      ONYX_ASSIGN_OR_RETURN(Tensor * v_new, optim::OptionalOutput(ctx, static_cast<size_t>(in.k + i), x));
      for (int64_t j = 0; j < x.size(); ++j) {
        const double xv = optim::Get(x, j);
        const double gr = norm_coefficient_ * xv + optim::Get(g, j);
        const double vn = alpha * optim::Get(v, j) + beta * gr;
        if (v_new) optim::Put(v_new, j, vn);
        if (x_new) optim::Put(x_new, j, nesterov_ ? xv - in.r * (gr + alpha * vn) : xv - in.r * vn);
      }
    }
    return Status::Ok();
  }

 private:
  float alpha_ = 0.0f, beta_ = 0.0f, norm_coefficient_ = 0.0f;
  bool nesterov_ = false;
};

}  // namespace

ONYX_REGISTER_KERNEL(MomentumKernel, KernelDef("CPU", optim::kDomain, "Momentum").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE(optim::kDomain, "Momentum",
                              [](ir::InferenceContext& ctx) { return optim::InferOptimizer(ctx, 3); });

}  // namespace onyx::cpu
