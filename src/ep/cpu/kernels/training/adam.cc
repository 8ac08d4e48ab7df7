// Adam (ai.onnx.preview.training): inputs R, T, X_1..k, G_1..k, V_1..k, H_1..k; outputs X_new, V_new, H_new.
//   g = norm_coefficient * X + G; V_new = alpha * V + (1 - alpha) * g; H_new = beta * H + (1 - beta) * g^2;
//   R' = T > 0 ? R * sqrt(1 - beta^T) / (1 - alpha^T) : R; X_new = (1 - norm_coefficient_post) *
//   (X - R' * V_new / (sqrt(H_new) + epsilon))
#include <cmath>

#include "ep/cpu/kernels/training/optimizer_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class AdamKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetFloat("alpha", &alpha_, 0.9f));
    ONYX_RETURN_IF_ERROR(info.GetFloat("beta", &beta_, 0.999f));
    ONYX_RETURN_IF_ERROR(info.GetFloat("epsilon", &epsilon_, 0.0f));
    ONYX_RETURN_IF_ERROR(info.GetFloat("norm_coefficient", &norm_coefficient_, 0.0f));
    return info.GetFloat("norm_coefficient_post", &norm_coefficient_post_, 0.0f);
  }

  Status Compute(KernelContext& ctx) const override {
    optim::OptimizerInputs in;
    ONYX_RETURN_IF_ERROR(optim::ReadOptimizerInputs(ctx, 4, &in));
    const double alpha = alpha_, beta = beta_;
    const double t = static_cast<double>(in.t);
    const double r = in.t > 0 ? in.r * std::sqrt(1.0 - std::pow(beta, t)) / (1.0 - std::pow(alpha, t)) : in.r;
    for (int64_t i = 0; i < in.k; ++i) {
      const Tensor& x = *in.roles[0][static_cast<size_t>(i)];
      const Tensor& g = *in.roles[1][static_cast<size_t>(i)];
      const Tensor& v = *in.roles[2][static_cast<size_t>(i)];
      const Tensor& h = *in.roles[3][static_cast<size_t>(i)];
      ONYX_ASSIGN_OR_RETURN(Tensor * x_new, optim::OptionalOutput(ctx, static_cast<size_t>(i), x));
      ONYX_ASSIGN_OR_RETURN(Tensor * v_new, optim::OptionalOutput(ctx, static_cast<size_t>(in.k + i), x));
      ONYX_ASSIGN_OR_RETURN(Tensor * h_new, optim::OptionalOutput(ctx, static_cast<size_t>(2 * in.k + i), x));
      for (int64_t j = 0; j < x.size(); ++j) {
        const double xv = optim::Get(x, j);
        const double gr = norm_coefficient_ * xv + optim::Get(g, j);
        const double vn = alpha * optim::Get(v, j) + (1.0 - alpha) * gr;
        const double hn = beta * optim::Get(h, j) + (1.0 - beta) * gr * gr;
        if (v_new) optim::Put(v_new, j, vn);
        if (h_new) optim::Put(h_new, j, hn);
        const double xn = xv - r * vn / (std::sqrt(hn) + epsilon_);
        if (x_new) optim::Put(x_new, j, (1.0 - norm_coefficient_post_) * xn);
      }
    }
    return Status::Ok();
  }

 private:
  float alpha_ = 0.9f, beta_ = 0.999f, epsilon_ = 0.0f, norm_coefficient_ = 0.0f, norm_coefficient_post_ = 0.0f;
};

}  // namespace

ONYX_REGISTER_KERNEL(AdamKernel, KernelDef("CPU", optim::kDomain, "Adam").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE(optim::kDomain, "Adam",
                              [](ir::InferenceContext& ctx) { return optim::InferOptimizer(ctx, 4); });

}  // namespace onyx::cpu
