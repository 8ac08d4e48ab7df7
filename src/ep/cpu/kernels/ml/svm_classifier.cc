// SVMClassifier. With support vectors it is libsvm's one-vs-one machine: each class pair (i, j) has a decision
//   d = rho[p] + sum_{v in class i} coef[j-1][v] K(x, v) + sum_{v in class j} coef[i][v] K(x, v)
// that votes for i when d > 0 and for j otherwise; Y is the label with the most votes (the first on a tie).
// Z holds the pair decisions (two classes: [-d, d]) or, when prob_a/prob_b are given, the class probabilities
// from Platt-scaled pair probabilities coupled by Wu, Lin and Weng's second method. Without support vectors
// the classes are linear: score_c = coefficients[c] . x + rho[0], and Y is the best score's label.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/ml/ml_common.h"
#include "ep/cpu/kernels/ml/svm_common.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

// Coupled class probabilities p[k] from pairwise probabilities r (k x k, r[i][j] + r[j][i] = 1).
void CouplePairwise(int64_t k, const std::vector<double>& r, double* p) {
  const size_t n = static_cast<size_t>(k);
  std::vector<double> q(n * n), qp(n);
  for (size_t t = 0; t < n; ++t) {
    p[t] = 1.0 / static_cast<double>(k);
    q[t * n + t] = 0;
    for (size_t j = 0; j < n; ++j) {
      if (j == t) continue;
      q[t * n + t] += r[j * n + t] * r[j * n + t];
      q[t * n + j] = -r[j * n + t] * r[t * n + j];
    }
  }
  const int max_iter = std::max(100, static_cast<int>(k));
  const double eps = 0.005 / static_cast<double>(k);
  for (int iter = 0; iter < max_iter; ++iter) {
    double pqp = 0;
    for (size_t t = 0; t < n; ++t) {
      qp[t] = 0;
      for (size_t j = 0; j < n; ++j) qp[t] += q[t * n + j] * p[j];
      pqp += p[t] * qp[t];
    }
    double max_error = 0;
    for (size_t t = 0; t < n; ++t) max_error = std::max(max_error, std::abs(qp[t] - pqp));
    if (max_error < eps) break;
    for (size_t t = 0; t < n; ++t) {
      const double diff = (-qp[t] + pqp) / q[t * n + t];
      p[t] += diff;
      pqp = (pqp + diff * (diff * q[t * n + t] + 2 * qp[t])) / (1 + diff) / (1 + diff);
      for (size_t j = 0; j < n; ++j) {
        qp[j] = (qp[j] + diff * q[t * n + j]) / (1 + diff);
        p[j] /= (1 + diff);
      }
    }
  }
}

// libsvm's Platt sigmoid, written so that exp never overflows.
double PlattProbability(double decision, double a, double b) {
  const double z = decision * a + b;
  return z >= 0 ? std::exp(-z) / (1.0 + std::exp(-z)) : 1.0 / (1.0 + std::exp(z));
}

class SVMClassifierKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(kernel_.Read(info));
    ONYX_RETURN_IF_ERROR(ml::ReadPostTransform(info, &post_));
    ONYX_RETURN_IF_ERROR(info.GetInts("classlabels_ints", &int_labels_, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetStrings("classlabels_strings", &string_labels_, std::vector<std::string>{}));
    if (int_labels_.empty() == string_labels_.empty()) {
      return info.Error("exactly one of 'classlabels_ints' and 'classlabels_strings' must be set");
    }
    labels_ = static_cast<int64_t>(int_labels_.empty() ? string_labels_.size() : int_labels_.size());
    std::vector<int64_t> per_class;
    ONYX_RETURN_IF_ERROR(info.GetInts("vectors_per_class", &per_class, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetFloats("coefficients", &coefficients_, std::vector<float>{}));
    ONYX_RETURN_IF_ERROR(info.GetFloats("support_vectors", &support_vectors_, std::vector<float>{}));
    ONYX_RETURN_IF_ERROR(info.GetFloats("rho", &rho_, std::vector<float>{}));
    ONYX_RETURN_IF_ERROR(info.GetFloats("prob_a", &prob_a_, std::vector<float>{}));
    ONYX_RETURN_IF_ERROR(info.GetFloats("prob_b", &prob_b_, std::vector<float>{}));
    int64_t total = 0;
    for (int64_t c : per_class) {
      if (c < 0) return info.Error("attribute 'vectors_per_class' has a negative entry");
      starts_.push_back(total);
      total += c;
    }
    counts_ = per_class;
    svm_ = total > 0;
    if (!svm_) {
      if (rho_.empty()) rho_ = {0.0f};
      return Status::Ok();
    }
    classes_ = static_cast<int64_t>(per_class.size());
    if (classes_ < 2) return info.Error("attribute 'vectors_per_class' needs at least two classes");
    if (labels_ != classes_) {
      return info.Error("there are ", labels_, " class labels for ", classes_, " classes in 'vectors_per_class'");
    }
    total_vectors_ = total;
    if (support_vectors_.size() % static_cast<size_t>(total) != 0 || support_vectors_.empty()) {
      return info.Error("attribute 'support_vectors' has ", support_vectors_.size(), " values, not a multiple of the ",
                        total, " support vectors");
    }
    features_ = static_cast<int64_t>(support_vectors_.size()) / total;
    if (static_cast<int64_t>(coefficients_.size()) != (classes_ - 1) * total) {
      return info.Error("attribute 'coefficients' has ", coefficients_.size(), " values; expected (classes - 1) * ",
                        "support vectors = ", (classes_ - 1) * total);
    }
    const int64_t pairs = classes_ * (classes_ - 1) / 2;
    if (static_cast<int64_t>(rho_.size()) != pairs) {
      return info.Error("attribute 'rho' has ", rho_.size(), " values for ", pairs, " class pairs");
    }
    if (!prob_a_.empty() || !prob_b_.empty()) {
      if (static_cast<int64_t>(prob_a_.size()) != pairs || static_cast<int64_t>(prob_b_.size()) != pairs) {
        return info.Error("attributes 'prob_a' and 'prob_b' must have one value per class pair (", pairs, ")");
      }
      probabilities_ = true;
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr || !ml::IsMlNumericType(x->type())) {
      return ctx.Error("input X must be a float, double, int32 or int64 tensor");
    }
    const ml::Rows rows = ml::RowsOf(*x);
    int64_t width = 0;
    if (svm_) {
      if (rows.f != features_) {
        return ctx.Error("input ", x->Describe(), " has ", rows.f, " features; the support vectors have ", features_);
      }
      width = probabilities_ || classes_ == 2 ? classes_ : classes_ * (classes_ - 1) / 2;
    } else {
      const int64_t total = static_cast<int64_t>(coefficients_.size());
      if (rows.f == 0 || total % rows.f != 0) {
        return ctx.Error("input ", x->Describe(), " has ", rows.f, " features, which does not divide the ", total,
                         " coefficients");
      }
      width = total / rows.f;
      if (width > labels_) return ctx.Error("there are ", labels_, " class labels for ", width, " classes");
      if (width == 1 && labels_ == 2) width = 2;
    }
    const bool strings = !string_labels_.empty();
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, strings ? DataType::kString : DataType::kInt64, Shape{rows.n}));
    ONYX_ASSIGN_OR_RETURN(Tensor * z, ctx.Output(1, DataType::kFloat, Shape{rows.n, width}));
    std::vector<double> in(static_cast<size_t>(x->size()));
    ml::CopyAsNumber<double>(*x, in.data());
    float* zout = z->data<float>();
    ThreadPool::For(
        ctx.thread_pool(), rows.n,
        [&](int64_t begin, int64_t end) {
          std::vector<double> scores(static_cast<size_t>(width)), kvalues, pairwise;
          for (int64_t r = begin; r < end; ++r) {
            const double* row = in.data() + r * rows.f;
            const int64_t best =
                svm_ ? RowSvm(row, scores.data(), &kvalues, &pairwise) : RowLinear(row, rows.f, width, scores.data());
            ml::ApplyPostTransform(post_, std::span<double>(scores));
            for (int64_t k = 0; k < width; ++k)
              zout[r * width + k] = static_cast<float>(scores[static_cast<size_t>(k)]);
            if (strings) {
              y->data<std::string>()[r] = string_labels_[static_cast<size_t>(best)];
            } else {
              y->data<int64_t>()[r] = int_labels_[static_cast<size_t>(best)];
            }
          }
        },
        16);
    return Status::Ok();
  }

 private:
  // Fills the scores and returns the winning class index.
  int64_t RowLinear(const double* row, int64_t f, int64_t width, double* scores) const {
    const int64_t c = static_cast<int64_t>(coefficients_.size()) / f;
    for (int64_t k = 0; k < c; ++k) {
      double acc = rho_[0];
      for (int64_t j = 0; j < f; ++j) acc += row[j] * coefficients_[static_cast<size_t>(k * f + j)];
      scores[width == 2 && c == 1 ? 1 : k] = acc;
    }
    if (width == 2 && c == 1) {
      scores[0] = -scores[1];
      return scores[1] > 0 ? 1 : 0;
    }
    int64_t best = 0;
    for (int64_t k = 1; k < c; ++k) {
      if (scores[k] > scores[best]) best = k;
    }
    return best;
  }

  int64_t RowSvm(const double* row, double* scores, std::vector<double>* kvalues, std::vector<double>* pairwise) const {
    const int64_t f = features_, n = classes_;
    kvalues->resize(static_cast<size_t>(total_vectors_));
    for (int64_t v = 0; v < total_vectors_; ++v) {
      (*kvalues)[static_cast<size_t>(v)] = kernel_(row, support_vectors_.data() + v * f, f);
    }
    std::vector<int64_t> votes(static_cast<size_t>(n), 0);
    if (probabilities_) pairwise->assign(static_cast<size_t>(n * n), 0.0);
    int64_t p = 0;
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t j = i + 1; j < n; ++j, ++p) {
        double d = rho_[static_cast<size_t>(p)];
        const float* ci = coefficients_.data() + (j - 1) * total_vectors_;
        const float* cj = coefficients_.data() + i * total_vectors_;
        for (int64_t v = starts_[i]; v < starts_[i] + counts_[i]; ++v) d += ci[v] * (*kvalues)[static_cast<size_t>(v)];
        for (int64_t v = starts_[j]; v < starts_[j] + counts_[j]; ++v) d += cj[v] * (*kvalues)[static_cast<size_t>(v)];
        ++votes[static_cast<size_t>(d > 0 ? i : j)];
        if (probabilities_) {
          const double prob = std::clamp(PlattProbability(d, prob_a_[p], prob_b_[p]), 1e-7, 1 - 1e-7);
          (*pairwise)[static_cast<size_t>(i * n + j)] = prob;
          (*pairwise)[static_cast<size_t>(j * n + i)] = 1 - prob;
        } else if (n == 2) {
          scores[0] = -d;
          scores[1] = d;
        } else {
          scores[p] = d;
        }
      }
    }
    if (probabilities_) CouplePairwise(n, *pairwise, scores);
    return std::max_element(votes.begin(), votes.end()) - votes.begin();
  }

  ml::SvmKernel kernel_;
  ml::PostTransform post_ = ml::PostTransform::kNone;
  std::vector<int64_t> int_labels_;
  std::vector<std::string> string_labels_;
  std::vector<float> coefficients_, support_vectors_, rho_, prob_a_, prob_b_;
  std::vector<int64_t> starts_, counts_;
  int64_t labels_ = 0, classes_ = 0, total_vectors_ = 0, features_ = 0;
  bool svm_ = false, probabilities_ = false;
};

Status InferSVMClassifier(ir::InferenceContext& ctx) {
  const ir::SymShape* in = ctx.input_shape(0);
  ir::Dim n = in && in->size() == 2 ? (*in)[0] : in && in->size() < 2 ? ir::Dim::Known(1) : ir::Dim{};
  const ir::Attribute* s = ctx.attr("classlabels_strings");
  ctx.SetOutput(0, s && !s->strings.empty() ? DataType::kString : DataType::kInt64, ir::SymShape{n});
  if (ctx.output_count() > 1) ctx.SetOutput(1, DataType::kFloat, ir::SymShape{n, ir::Dim{}});
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(SVMClassifierKernel, KernelDef("CPU", "ai.onnx.ml", "SVMClassifier").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "SVMClassifier", InferSVMClassifier);

}  // namespace
}  // namespace onyx::cpu
