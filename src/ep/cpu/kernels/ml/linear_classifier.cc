// LinearClassifier: scores[N, C] = X * coefficients[C, F]^T + intercepts; Y is the label of the best score and
// Z the post-transformed scores. With one coefficient row and two labels (the binary form) the label is the
// second one where s > 0, and the scores become [1 - s, s] under NONE and PROBIT, [-s, s] otherwise (so that
// LOGISTIC gives [1 - p, p]), as ONNX Runtime and TreeEnsembleClassifier's binary form do.
#include <string>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/ml/ml_common.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class LinearClassifierKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if (!info.has_attr("coefficients")) return info.Error("attribute 'coefficients' is required");
    ONYX_RETURN_IF_ERROR(info.GetFloats("coefficients", &coefficients_));
    ONYX_RETURN_IF_ERROR(info.GetFloats("intercepts", &intercepts_, std::vector<float>{}));
    ONYX_RETURN_IF_ERROR(info.GetInts("classlabels_ints", &int_labels_, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetStrings("classlabels_strings", &string_labels_, std::vector<std::string>{}));
    ONYX_RETURN_IF_ERROR(ml::ReadPostTransform(info, &post_));
    if (int_labels_.empty() == string_labels_.empty()) {
      return info.Error("exactly one of 'classlabels_ints' and 'classlabels_strings' must be set");
    }
    if (!intercepts_.empty() && coefficients_.size() % intercepts_.size() != 0) {
      return info.Error("attribute 'coefficients' has ", coefficients_.size(), " values, not a multiple of the ",
                        intercepts_.size(), " intercepts");
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr || !ml::IsMlNumericType(x->type())) {
      return ctx.Error("input X must be a float, double, int32 or int64 tensor");
    }
    const ml::Rows rows = ml::RowsOf(*x);
    const int64_t f = rows.f;
    const int64_t total = static_cast<int64_t>(coefficients_.size());
    if (f == 0 || total % f != 0) {
      return ctx.Error("input ", x->Describe(), " has ", f, " features, which does not divide the ", total,
                       " coefficients");
    }
    const int64_t c = total / f;
    if (!intercepts_.empty() && static_cast<int64_t>(intercepts_.size()) != c) {
      return ctx.Error("attribute 'intercepts' has ", intercepts_.size(), " values for ", c, " classes");
    }
    const bool strings = !string_labels_.empty();
    const int64_t labels = static_cast<int64_t>(strings ? string_labels_.size() : int_labels_.size());
    const bool binary = c == 1 && labels == 2;
    if (c > 1 && labels < c) return ctx.Error("there are ", labels, " class labels for ", c, " classes");
    const int64_t width = binary ? 2 : c;
    const bool complement = post_ == ml::PostTransform::kNone || post_ == ml::PostTransform::kProbit;

    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, strings ? DataType::kString : DataType::kInt64, Shape{rows.n}));
    ONYX_ASSIGN_OR_RETURN(Tensor * z, ctx.Output(1, DataType::kFloat, Shape{rows.n, width}));
    std::vector<float> in(static_cast<size_t>(x->size()));
    ml::CopyAsNumber<float>(*x, in.data());
    float* scores = z->data<float>();
    ThreadPool::For(
        ctx.thread_pool(), rows.n,
        [&](int64_t begin, int64_t end) {
          for (int64_t r = begin; r < end; ++r) {
            float* out = scores + r * width;
            for (int64_t k = 0; k < c; ++k) {
              double acc = intercepts_.empty() ? 0.0 : intercepts_[static_cast<size_t>(k)];
              const float* w = coefficients_.data() + k * f;
              for (int64_t j = 0; j < f; ++j) acc += static_cast<double>(in[static_cast<size_t>(r * f + j)]) * w[j];
              out[binary ? 1 : k] = static_cast<float>(acc);
            }
            int64_t best = 0;
            if (c == 1) {
              const float s = out[binary ? 1 : 0];
              if (binary) out[0] = complement ? 1.0f - s : -s;
              best = binary ? (s > 0 ? 1 : 0) : (s > 0 ? 0 : -1);
            } else {
              for (int64_t k = 1; k < c; ++k) {
                if (out[k] > out[best]) best = k;
              }
            }
            ml::ApplyPostTransform(post_, std::span<float>(out, static_cast<size_t>(width)));
            // A lone class that scores <= 0 has no label to give: 0 or the empty string.
            if (strings) {
              y->data<std::string>()[r] = best < 0 ? std::string() : string_labels_[static_cast<size_t>(best)];
            } else {
              y->data<int64_t>()[r] = best < 0 ? 0 : int_labels_[static_cast<size_t>(best)];
            }
          }
        },
        64);
    return Status::Ok();
  }

 private:
  std::vector<float> coefficients_, intercepts_;
  std::vector<int64_t> int_labels_;
  std::vector<std::string> string_labels_;
  ml::PostTransform post_ = ml::PostTransform::kNone;
};

Status InferLinearClassifier(ir::InferenceContext& ctx) {
  const ir::SymShape* in = ctx.input_shape(0);
  ir::Dim n = in && in->size() == 2 ? (*in)[0] : in && in->size() < 2 ? ir::Dim::Known(1) : ir::Dim{};
  const ir::Attribute* s = ctx.attr("classlabels_strings");
  ctx.SetOutput(0, s && !s->strings.empty() ? DataType::kString : DataType::kInt64, ir::SymShape{n});
  if (ctx.output_count() > 1) ctx.SetOutput(1, DataType::kFloat, ir::SymShape{n, ir::Dim{}});
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(LinearClassifierKernel, KernelDef("CPU", "ai.onnx.ml", "LinearClassifier").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "LinearClassifier", InferLinearClassifier);

}  // namespace
}  // namespace onyx::cpu
