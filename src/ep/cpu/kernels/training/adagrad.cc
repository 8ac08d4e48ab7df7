// Adagrad (ai.onnx.preview.training): inputs R, T, X_1..k, G_1..k, H_1..k; outputs X_new_1..k, H_new_1..k.
//   r = R / (1 + T * decay_factor); g = norm_coefficient * X + G; H_new = H + g^2;
//   X_new = X - r * g / (sqrt(H_new) + epsilon)
#include <cmath>

#include "ep/cpu/kernels/training/optimizer_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class AdagradKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetFloat("decay_factor", &decay_factor_, 0.0f));
    ONYX_RETURN_IF_ERROR(info.GetFloat("epsilon", &epsilon_, 0.0f));
    return info.GetFloat("norm_coefficient", &norm_coefficient_, 0.0f);
  }

  Status Compute(KernelContext& ctx) const override {
    optim::OptimizerInputs in;
    ONYX_RETURN_IF_ERROR(optim::ReadOptimizerInputs(ctx, 3, &in));
    const double r = in.r / (1.0 + static_cast<double>(in.t) * decay_factor_);
    for (int64_t i = 0; i < in.k; ++i) {
      const Tensor& x = *in.roles[0][static_cast<size_t>(i)];
      const Tensor& g = *in.roles[1][static_cast<size_t>(i)];
      const Tensor& h = *in.roles[2][static_cast<size_t>(i)];
      ONYX_ASSIGN_OR_RETURN(Tensor * x_new, optim::OptionalOutput(ctx, static_cast<size_t>(i), x));
      ONYX_ASSIGN_OR_RETURN(Tensor * h_new, optim::OptionalOutput(ctx, static_cast<size_t>(in.k + i), x));
      for (int64_t j = 0; j < x.size(); ++j) {
        const double xv = optim::Get(x, j);
        const double gr = norm_coefficient_ * xv + optim::Get(g, j);
        const double hn = optim::Get(h, j) + gr * gr;
        if (h_new) optim::Put(h_new, j, hn);
        if (x_new) optim::Put(x_new, j, xv - r * gr / (std::sqrt(hn) + epsilon_));
      }
    }
    return Status::Ok();
  }

 private:
  float decay_factor_ = 0.0f, epsilon_ = 0.0f, norm_coefficient_ = 0.0f;
};

}  // namespace

ONYX_REGISTER_KERNEL(AdagradKernel, KernelDef("CPU", optim::kDomain, "Adagrad").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE(optim::kDomain, "Adagrad",
                              [](ir::InferenceContext& ctx) { return optim::InferOptimizer(ctx, 3); });

}  // namespace onyx::cpu
