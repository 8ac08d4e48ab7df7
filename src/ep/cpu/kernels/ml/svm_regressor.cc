// SVMRegressor: y = sum_i coefficients[i] * K(x, support_vector_i) + rho[0] (with no support vectors,
// y = coefficients . x + rho[0]); a one-class SVM answers 1 where y > 0 and -1 elsewhere.
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/ml/ml_common.h"
#include "ep/cpu/kernels/ml/svm_common.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class SVMRegressorKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(kernel_.Read(info));
    ONYX_RETURN_IF_ERROR(ml::ReadPostTransform(info, &post_));
    ONYX_RETURN_IF_ERROR(info.GetInt("n_supports", &n_supports_, int64_t{0}));
    int64_t one_class = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("one_class", &one_class, int64_t{0}));
    one_class_ = one_class != 0;
    ONYX_RETURN_IF_ERROR(info.GetFloats("coefficients", &coefficients_, std::vector<float>{}));
    ONYX_RETURN_IF_ERROR(info.GetFloats("support_vectors", &support_vectors_, std::vector<float>{}));
    std::vector<float> rho;
    ONYX_RETURN_IF_ERROR(info.GetFloats("rho", &rho, std::vector<float>{}));
    rho_ = rho.empty() ? 0.0f : rho[0];
    if (n_supports_ < 0) return info.Error("attribute 'n_supports' is negative");
    if (n_supports_ > 0) {
      if (static_cast<int64_t>(coefficients_.size()) != n_supports_) {
        return info.Error("attribute 'coefficients' has ", coefficients_.size(), " values for ", n_supports_,
                          " support vectors");
      }
      if (support_vectors_.size() % static_cast<size_t>(n_supports_) != 0) {
        return info.Error("attribute 'support_vectors' has ", support_vectors_.size(),
                          " values, not a multiple of n_supports ", n_supports_);
      }
      features_ = static_cast<int64_t>(support_vectors_.size()) / n_supports_;
    } else {
      features_ = static_cast<int64_t>(coefficients_.size());
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr || !ml::IsMlNumericType(x->type())) {
      return ctx.Error("input X must be a float, double, int32 or int64 tensor");
    }
    const ml::Rows rows = ml::RowsOf(*x);
    if (rows.f != features_) {
      return ctx.Error("input ", x->Describe(), " has ", rows.f, " features; the model expects ", features_);
    }
    std::vector<double> in(static_cast<size_t>(x->size()));
    ml::CopyAsNumber<double>(*x, in.data());
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kFloat, Shape{rows.n, 1}));
    float* out = y->data<float>();
    const int64_t f = features_;
    ThreadPool::For(
        ctx.thread_pool(), rows.n,
        [&](int64_t begin, int64_t end) {
          for (int64_t r = begin; r < end; ++r) {
            const double* row = in.data() + r * f;
            double sum = rho_;
            if (n_supports_ > 0) {
              for (int64_t s = 0; s < n_supports_; ++s) {
                sum += coefficients_[static_cast<size_t>(s)] * kernel_(row, support_vectors_.data() + s * f, f);
              }
            } else {
              for (int64_t j = 0; j < f; ++j) sum += row[j] * coefficients_[static_cast<size_t>(j)];
            }
            float v = static_cast<float>(sum);
            ml::ApplyPostTransform(post_, std::span<float>(&v, 1));
            if (one_class_) v = v > 0 ? 1.0f : -1.0f;
            out[r] = v;
          }
        },
        16);
    return Status::Ok();
  }

 private:
  ml::SvmKernel kernel_;
  ml::PostTransform post_ = ml::PostTransform::kNone;
  int64_t n_supports_ = 0, features_ = 0;
  bool one_class_ = false;
  std::vector<float> coefficients_, support_vectors_;
  float rho_ = 0;
};

Status InferSVMRegressor(ir::InferenceContext& ctx) {
  const ir::SymShape* in = ctx.input_shape(0);
  ir::Dim n = in && in->size() == 2 ? (*in)[0] : in && in->size() < 2 ? ir::Dim::Known(1) : ir::Dim{};
  ctx.SetOutput(0, DataType::kFloat, ir::SymShape{n, ir::Dim::Known(1)});
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(SVMRegressorKernel, KernelDef("CPU", "ai.onnx.ml", "SVMRegressor").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "SVMRegressor", InferSVMRegressor);

}  // namespace
}  // namespace onyx::cpu
