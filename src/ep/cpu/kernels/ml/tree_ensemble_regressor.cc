// TreeEnsembleRegressor: Y[N, n_targets] (float) aggregates the target weights of the leaves each row reaches
// (SUM, AVERAGE, MIN or MAX), adds base_values, then applies the post-transform.
#include <string>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/ml/ml_common.h"
#include "ep/cpu/kernels/ml/tree_ensemble_common.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class TreeEnsembleRegressorKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    std::string agg;
    ONYX_RETURN_IF_ERROR(info.GetString("aggregate_function", &agg, std::string("SUM")));
    if (agg == "SUM") {
      agg_ = ml::Aggregate::kSum;
    } else if (agg == "AVERAGE") {
      agg_ = ml::Aggregate::kAverage;
    } else if (agg == "MIN") {
      agg_ = ml::Aggregate::kMin;
    } else if (agg == "MAX") {
      agg_ = ml::Aggregate::kMax;
    } else {
      return info.Error("attribute 'aggregate_function' is '", agg, "'; expected SUM, AVERAGE, MIN or MAX");
    }
    ONYX_RETURN_IF_ERROR(ml::ReadPostTransform(info, &post_));
    int64_t targets = -1;
    ONYX_RETURN_IF_ERROR(info.GetInt("n_targets", &targets, int64_t{-1}));
    ONYX_RETURN_IF_ERROR(model_.BuildFromLegacy(info, "target", targets));
    ONYX_RETURN_IF_ERROR(ml::ReadDoublesOrTensor(info, "base_values", &base_));
    if (!base_.empty() && static_cast<int64_t>(base_.size()) != model_.targets()) {
      return info.Error("attribute 'base_values' has ", base_.size(), " values for ", model_.targets(), " targets");
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr || !ml::IsMlNumericType(x->type())) {
      return ctx.Error("input X must be a float, double, int32 or int64 tensor");
    }
    const ml::Rows rows = ml::RowsOf(*x);
    if (rows.f < model_.min_features()) {
      return ctx.Error("input ", x->Describe(), " has ", rows.f, " features; the trees read feature ",
                       model_.min_features() - 1);
    }
    std::vector<double> in(static_cast<size_t>(x->size()));
    ml::CopyAsNumber<double>(*x, in.data());
    const int64_t t = model_.targets();
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kFloat, Shape{rows.n, t}));
    float* out = y->data<float>();
    auto run = [&](auto acc_tag) {
      using Acc = decltype(acc_tag);
      ThreadPool::For(
          ctx.thread_pool(), rows.n,
          [&](int64_t begin, int64_t end) {
            std::vector<Acc> scores(static_cast<size_t>(t));
            for (int64_t r = begin; r < end; ++r) {
              model_.Score(in.data() + r * rows.f, agg_, scores.data());
              for (size_t k = 0; k < base_.size(); ++k) scores[k] += static_cast<Acc>(base_[k]);
              ml::ApplyPostTransform(post_, std::span<Acc>(scores));
              for (int64_t k = 0; k < t; ++k) out[r * t + k] = static_cast<float>(scores[static_cast<size_t>(k)]);
            }
          },
          16);
    };
    if (x->type() == DataType::kDouble) {
      run(double{});
    } else {
      run(float{});
    }
    return Status::Ok();
  }

 private:
  ml::TreeEnsembleModel model_;
  std::vector<double> base_;
  ml::Aggregate agg_ = ml::Aggregate::kSum;
  ml::PostTransform post_ = ml::PostTransform::kNone;
};

Status InferTreeEnsembleRegressor(ir::InferenceContext& ctx) {
  const ir::SymShape* in = ctx.input_shape(0);
  ir::Dim n = in && in->size() == 2 ? (*in)[0] : in && in->size() < 2 ? ir::Dim::Known(1) : ir::Dim{};
  const int64_t t = ctx.attr_int("n_targets", -1);
  ctx.SetOutput(0, DataType::kFloat, ir::SymShape{n, t >= 0 ? ir::Dim::Known(t) : ir::Dim{}});
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(TreeEnsembleRegressorKernel, KernelDef("CPU", "ai.onnx.ml", "TreeEnsembleRegressor").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "TreeEnsembleRegressor", InferTreeEnsembleRegressor);

}  // namespace
}  // namespace onyx::cpu
