// TreeEnsembleClassifier: sums the class weights of the leaves each row reaches, adds base_values, applies the
// post-transform (Z) and returns the label of the best class (Y).
// The binary form: two labels and votes only for class 0. The votes are then the score s of the second label.
// With every weight >= 0 they are probabilities: label 1 when s > 0.5, and Z is [1 - s, s] under NONE or PROBIT.
// Otherwise they are margins: label 1 when s > 0. Any other case makes Z [-s, s] before the post-transform, so
// that LOGISTIC gives [1 - p, p]; this is what converters of boosted models expect.
#include <string>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/ml/ml_common.h"
#include "ep/cpu/kernels/ml/tree_ensemble_common.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class TreeEnsembleClassifierKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInts("classlabels_int64s", &int_labels_, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetStrings("classlabels_strings", &string_labels_, std::vector<std::string>{}));
    if (int_labels_.empty() == string_labels_.empty()) {
      return info.Error("exactly one of 'classlabels_int64s' and 'classlabels_strings' must be set");
    }
    const int64_t classes = static_cast<int64_t>(int_labels_.empty() ? string_labels_.size() : int_labels_.size());
    ONYX_RETURN_IF_ERROR(ml::ReadPostTransform(info, &post_));
    ONYX_RETURN_IF_ERROR(model_.BuildFromLegacy(info, "class", classes));
    ONYX_RETURN_IF_ERROR(ml::ReadDoublesOrTensor(info, "base_values", &base_));
    if (!base_.empty() && static_cast<int64_t>(base_.size()) != classes && !(classes == 2 && base_.size() == 1)) {
      return info.Error("attribute 'base_values' has ", base_.size(), " values for ", classes, " classes");
    }
    const std::vector<bool> used = model_.used_targets();
    binary_ = classes == 2 && !used[1];
    positive_ = model_.weights_all_positive();
    complement_ = positive_ && (post_ == ml::PostTransform::kNone || post_ == ml::PostTransform::kProbit);
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
    const int64_t c = model_.targets();
    const bool strings = !string_labels_.empty();
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, strings ? DataType::kString : DataType::kInt64, Shape{rows.n}));
    ONYX_ASSIGN_OR_RETURN(Tensor * z, ctx.Output(1, DataType::kFloat, Shape{rows.n, c}));
    float* zout = z->data<float>();
    auto run = [&](auto acc_tag) {
      using Acc = decltype(acc_tag);
      ThreadPool::For(
          ctx.thread_pool(), rows.n,
          [&](int64_t begin, int64_t end) {
            std::vector<Acc> scores(static_cast<size_t>(c));
            for (int64_t r = begin; r < end; ++r) {
              model_.Score(in.data() + r * rows.f, ml::Aggregate::kSum, scores.data());
              int64_t best = 0;
              if (binary_) {
                const Acc s = scores[0] + (base_.empty() ? Acc(0) : static_cast<Acc>(base_[0]));
                scores[1] = s;
                scores[0] = complement_ ? Acc(1) - s : -s;
                best = s > (positive_ ? Acc(0.5) : Acc(0)) ? 1 : 0;
              } else {
                for (size_t k = 0; k < base_.size(); ++k) scores[k] += static_cast<Acc>(base_[k]);
                // The label comes from the raw scores: PROBIT is not defined outside (0, 1).
                for (int64_t k = 1; k < c; ++k) {
                  if (scores[static_cast<size_t>(k)] > scores[static_cast<size_t>(best)]) best = k;
                }
              }
              ml::ApplyPostTransform(post_, std::span<Acc>(scores));
              for (int64_t k = 0; k < c; ++k) zout[r * c + k] = static_cast<float>(scores[static_cast<size_t>(k)]);
              if (strings) {
                y->data<std::string>()[r] = string_labels_[static_cast<size_t>(best)];
              } else {
                y->data<int64_t>()[r] = int_labels_[static_cast<size_t>(best)];
              }
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
  std::vector<int64_t> int_labels_;
  std::vector<std::string> string_labels_;
  std::vector<double> base_;
  ml::PostTransform post_ = ml::PostTransform::kNone;
  bool binary_ = false, positive_ = true, complement_ = true;
};

Status InferTreeEnsembleClassifier(ir::InferenceContext& ctx) {
  const ir::SymShape* in = ctx.input_shape(0);
  ir::Dim n = in && in->size() == 2 ? (*in)[0] : in && in->size() < 2 ? ir::Dim::Known(1) : ir::Dim{};
  const ir::Attribute* s = ctx.attr("classlabels_strings");
  const bool strings = s && !s->strings.empty();
  const size_t classes = strings ? s->strings.size() : ctx.attr_ints("classlabels_int64s").size();
  ctx.SetOutput(0, strings ? DataType::kString : DataType::kInt64, ir::SymShape{n});
  if (ctx.output_count() > 1) {
    ctx.SetOutput(1, DataType::kFloat, ir::SymShape{n, ir::Dim::Known(static_cast<int64_t>(classes))});
  }
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(TreeEnsembleClassifierKernel,
                     KernelDef("CPU", "ai.onnx.ml", "TreeEnsembleClassifier").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "TreeEnsembleClassifier", InferTreeEnsembleClassifier);

}  // namespace
}  // namespace onyx::cpu
