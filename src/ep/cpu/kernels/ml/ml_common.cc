#include "ep/cpu/kernels/ml/ml_common.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace onyx::cpu::ml {

std::optional<PostTransform> ParsePostTransform(const std::string& name) {
  if (name == "NONE") return PostTransform::kNone;
  if (name == "SOFTMAX") return PostTransform::kSoftmax;
  if (name == "LOGISTIC") return PostTransform::kLogistic;
  if (name == "SOFTMAX_ZERO") return PostTransform::kSoftmaxZero;
  if (name == "PROBIT") return PostTransform::kProbit;
  return std::nullopt;
}

std::optional<PostTransform> PostTransformFromInt(int64_t code) {
  if (code < 0 || code > 4) return std::nullopt;
  return static_cast<PostTransform>(code);
}

Status ReadPostTransform(const KernelInfo& info, PostTransform* out) {
  std::string name;
  ONYX_RETURN_IF_ERROR(info.GetString("post_transform", &name, std::string("NONE")));
  auto t = ParsePostTransform(name);
  if (!t) {
    return info.Error("attribute 'post_transform' is '", name,
                      "'; expected NONE, SOFTMAX, LOGISTIC, SOFTMAX_ZERO or PROBIT");
  }
  *out = *t;
  return Status::Ok();
}

float Logistic(float x) {
  // Split by sign so that exp never overflows.
  if (x >= 0) return 1.0f / (1.0f + std::exp(-x));
  const float e = std::exp(x);
  return e / (1.0f + e);
}

double Probit(double p) {
  if (!(p > 0.0)) return p == 0.0 ? -std::numeric_limits<double>::infinity() : std::nan("");
  if (!(p < 1.0)) return p == 1.0 ? std::numeric_limits<double>::infinity() : std::nan("");
  const double y = 2.0 * p - 1.0;
  // Winitzki's closed form gives about three correct digits; Newton steps on erf finish the job.
  constexpr double kA = 0.147;
  constexpr double kPi = 3.14159265358979323846;
  const double ln = std::log(1.0 - y * y);
  const double t = 2.0 / (kPi * kA) + ln / 2.0;
  double x = std::copysign(std::sqrt(std::sqrt(t * t - ln / kA) - t), y);
  const double two_over_sqrt_pi = 2.0 / std::sqrt(kPi);
  for (int i = 0; i < 4; ++i) {
    const double slope = two_over_sqrt_pi * std::exp(-x * x);
    if (slope == 0.0) break;
    x -= (std::erf(x) - y) / slope;
  }
  return std::sqrt(2.0) * x;
}

namespace {
template <typename T>
void Apply(PostTransform t, std::span<T> row) {
  switch (t) {
    case PostTransform::kNone:
      return;
    case PostTransform::kLogistic:
      for (T& v : row) v = static_cast<T>(Logistic(static_cast<float>(v)));
      return;
    case PostTransform::kProbit:
      for (T& v : row) v = static_cast<T>(Probit(static_cast<double>(v)));
      return;
    case PostTransform::kSoftmax:
    case PostTransform::kSoftmaxZero: {
      if (row.empty()) return;
      const bool keep_zeros = t == PostTransform::kSoftmaxZero;
      T mx = -std::numeric_limits<T>::infinity();
      for (T v : row) mx = std::max(mx, v);
      T sum = 0;
      for (T& v : row) {
        v = keep_zeros && v == T(0) ? T(0) : static_cast<T>(std::exp(v - mx));
        sum += v;
      }
      if (sum > 0) {
        for (T& v : row) v /= sum;
      }
      return;
    }
  }
}
}  // namespace

void ApplyPostTransform(PostTransform t, std::span<float> row) { Apply<float>(t, row); }
void ApplyPostTransform(PostTransform t, std::span<double> row) { Apply<double>(t, row); }

bool IsMlNumericType(DataType t) {
  return t == DataType::kFloat || t == DataType::kDouble || t == DataType::kInt32 || t == DataType::kInt64;
}

template <typename T>
void CopyAsNumber(const Tensor& x, T* out) {
  const int64_t n = x.size();
  switch (x.type()) {
    case DataType::kFloat:
      std::transform(x.data<float>(), x.data<float>() + n, out, [](float v) { return static_cast<T>(v); });
      break;
    case DataType::kDouble:
      std::transform(x.data<double>(), x.data<double>() + n, out, [](double v) { return static_cast<T>(v); });
      break;
    case DataType::kInt32:
      std::transform(x.data<int32_t>(), x.data<int32_t>() + n, out, [](int32_t v) { return static_cast<T>(v); });
      break;
    case DataType::kInt64:
      std::transform(x.data<int64_t>(), x.data<int64_t>() + n, out, [](int64_t v) { return static_cast<T>(v); });
      break;
    default:
      break;
  }
}
template void CopyAsNumber<float>(const Tensor&, float*);
template void CopyAsNumber<double>(const Tensor&, double*);

Rows RowsOf(const Tensor& x) {
  if (x.rank() == 0) return {1, 1};
  if (x.rank() == 1) return {1, x.dim(0)};
  const int64_t n = x.dim(0);
  return {n, n == 0 ? 0 : x.size() / n};
}

}  // namespace onyx::cpu::ml
