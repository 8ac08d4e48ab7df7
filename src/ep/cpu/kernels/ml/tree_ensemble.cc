// TreeEnsemble (ai.onnx.ml opset 5): Y[N, n_targets] aggregates (AVERAGE, SUM, MIN, MAX) the weights of the
// leaves each row reaches, then applies the post-transform. Y has the input's element type.
#include <type_traits>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/ml/ml_common.h"
#include "ep/cpu/kernels/ml/tree_ensemble_common.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class TreeEnsembleKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    int64_t agg = 1, post = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("aggregate_function", &agg, int64_t{1}));
    ONYX_RETURN_IF_ERROR(info.GetInt("post_transform", &post, int64_t{0}));
    if (agg < 0 || agg > 3) return info.Error("attribute 'aggregate_function' is ", agg, "; expected 0..3");
    auto pt = ml::PostTransformFromInt(post);
    if (!pt) return info.Error("attribute 'post_transform' is ", post, "; expected 0..4");
    agg_ = static_cast<ml::Aggregate>(agg);
    post_ = *pt;
    return model_.BuildFromTreeEnsemble(info);
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input X is missing");
    const DataType type = x->type();
    if (type != DataType::kFloat && type != DataType::kDouble && type != DataType::kFloat16) {
      return ctx.Error("input X must be float, double or float16, got ", x->Describe());
    }
    const ml::Rows rows = ml::RowsOf(*x);
    if (rows.f < model_.min_features()) {
      return ctx.Error("input ", x->Describe(), " has ", rows.f, " features; the trees read feature ",
                       model_.min_features() - 1);
    }
    std::vector<double> in(static_cast<size_t>(x->size()));
    if (type == DataType::kFloat16) {
      for (int64_t i = 0; i < x->size(); ++i) in[static_cast<size_t>(i)] = ToFloat(x->data<Float16>()[i]);
    } else {
      ml::CopyAsNumber<double>(*x, in.data());
    }
    const int64_t t = model_.targets();
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, type, Shape{rows.n, t}));
    return Dispatch<float, double, Float16>(
        type,
        [&](auto tag) -> Status {
          using T = decltype(tag);
          T* out = y->data<T>();
          ThreadPool::For(
              ctx.thread_pool(), rows.n,
              [&](int64_t begin, int64_t end) {
                using Acc = std::conditional_t<std::is_same_v<T, double>, double, float>;
                std::vector<Acc> scores(static_cast<size_t>(t));
                for (int64_t r = begin; r < end; ++r) {
                  model_.Score(in.data() + r * rows.f, agg_, scores.data());
                  ml::ApplyPostTransform(post_, std::span<Acc>(scores));
                  for (int64_t k = 0; k < t; ++k) {
                    if constexpr (std::is_same_v<T, Float16>) {
                      out[r * t + k] = FromFloat<Float16>(static_cast<float>(scores[static_cast<size_t>(k)]));
                    } else {
                      out[r * t + k] = static_cast<T>(scores[static_cast<size_t>(k)]);
                    }
                  }
                }
              },
              16);
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  ml::TreeEnsembleModel model_;
  ml::Aggregate agg_ = ml::Aggregate::kSum;
  ml::PostTransform post_ = ml::PostTransform::kNone;
};

Status InferTreeEnsemble(ir::InferenceContext& ctx) {
  const ir::SymShape* in = ctx.input_shape(0);
  ir::Dim n = in && in->size() == 2 ? (*in)[0] : in && in->size() < 2 ? ir::Dim::Known(1) : ir::Dim{};
  const int64_t t = ctx.attr_int("n_targets", -1);
  ctx.SetOutput(0, ctx.input_elem_type(0), ir::SymShape{n, t >= 0 ? ir::Dim::Known(t) : ir::Dim{}});
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(TreeEnsembleKernel, KernelDef("CPU", "ai.onnx.ml", "TreeEnsemble")
                                             .Versions(5)
                                             .Types(0, {DataType::kFloat, DataType::kDouble, DataType::kFloat16}));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "TreeEnsemble", InferTreeEnsemble);

}  // namespace
}  // namespace onyx::cpu
