// Ranges and quantization parameters: onnxruntime's scale/zero-point arithmetic (so a model quantized here and
// one quantized by onnxruntime.quantization from the same ranges carry the same numbers), and the range
// choice of each calibration method.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

#include "onyx/quantization.hpp"

namespace onyx::quant {

std::pair<int32_t, int32_t> QRange(QType type, bool symmetric, bool reduce_range) {
  if (reduce_range) return type == QType::kInt8 ? std::pair{-64, 64} : std::pair{0, 127};
  if (type == QType::kInt8) return symmetric ? std::pair{-127, 127} : std::pair{-128, 127};
  return {0, 255};
}

QuantParams ComputeQuantParams(float rmin, float rmax, QType type, bool symmetric, bool reduce_range) {
  const auto [qmin, qmax] = QRange(type, symmetric, reduce_range);
  rmin = std::min(rmin, 0.0f);
  rmax = std::max(rmax, 0.0f);
  if (symmetric) {
    const float absmax = std::max(std::fabs(rmin), std::fabs(rmax));
    rmin = -absmax;
    rmax = absmax;
  }
  // As onnxruntime: the ratio in double, the zero point rounded half to even (numpy.round), the scale stored as
  // float; a range too small for a normal float scale gets scale 1 and zero point 0.
  const double scale = (static_cast<double>(rmax) - static_cast<double>(rmin)) / (static_cast<double>(qmax) - qmin);
  QuantParams p;
  if (!(scale >= static_cast<double>(FLT_MIN))) return p;
  const double zp = symmetric ? std::nearbyint((qmin + qmax) / 2.0) : std::nearbyint(qmin - rmin / scale);
  p.zero_point = static_cast<int32_t>(std::clamp<double>(zp, qmin, qmax));
  p.scale = static_cast<float>(scale);
  return p;
}

void RangeCollector::AddMinMax(const float* data, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const float x = data[i];
    if (std::isnan(x)) continue;
    ++count_;
    if (!seen_) {
      min_ = max_ = x;
      seen_ = true;
    } else {
      min_ = std::min(min_, x);
      max_ = std::max(max_, x);
    }
  }
}

void RangeCollector::AddHistogram(const float* data, size_t n) {
  if (hist_.empty()) {
    // A density estimate needs counts in its bins: a small tensor (pooled features, logits) gets fewer bins, down
    // to 128, where the entropy search has one candidate, the whole range, instead of fitting noise.
    const double per_bin_count = 16;
    const auto fitting =
        static_cast<int>(std::min<double>(bins_, std::max(128.0, static_cast<double>(count_) / per_bin_count)));
    hist_.assign(static_cast<size_t>(std::min(bins_, fitting)), 0.0);
  }
  const int bins = static_cast<int>(hist_.size());
  const float absmax = std::max(std::fabs(min_), std::fabs(max_));
  if (!(absmax > 0) || !std::isfinite(absmax)) return;
  const double per_bin = static_cast<double>(bins) / absmax;
  for (size_t i = 0; i < n; ++i) {
    const float a = std::fabs(data[i]);
    if (std::isnan(a)) continue;
    const auto b = std::min<double>(static_cast<double>(bins - 1), std::floor(a * per_bin));
    hist_[static_cast<size_t>(b)] += 1;
  }
}

size_t EntropyThresholdBins(const std::vector<double>& histogram, int quantized_bins) {
  const size_t bins = histogram.size();
  // The first bin holds every exact zero (most of a Relu output); that spike would dominate the divergence and
  // push the search to the narrowest range, so it counts as much as its neighbour (as NVIDIA's calibrator does).
  std::vector<double> hist = histogram;
  if (bins > 1) hist[0] = hist[1];
  const auto levels = static_cast<size_t>(std::max(1, quantized_bins));
  if (bins <= levels) return bins;
  double total_tail = 0;
  for (double h : hist) total_tail += h;
  // KL(P || Q) for each candidate threshold i: P is the histogram clipped at i (the clipped mass added to its last
  // bin), Q is P squeezed into `levels` bins and spread back evenly over the non-empty bins of each.
  double best_kl = std::numeric_limits<double>::infinity();
  size_t best = bins;
  std::vector<double> p, q;
  double inside = 0;
  for (size_t i = 0; i < levels; ++i) inside += hist[i];
  for (size_t i = levels; i <= bins; ++i) {
    if (i > levels) inside += hist[i - 1];
    const double outside = total_tail - inside;
    p.assign(hist.begin(), hist.begin() + static_cast<std::ptrdiff_t>(i));
    p[i - 1] += outside;
    q.assign(i, 0.0);
    for (size_t j = 0; j < levels; ++j) {
      const size_t begin = j * i / levels, end = (j + 1) * i / levels;
      double mass = 0;
      size_t nonzero = 0;
      for (size_t k = begin; k < end; ++k) {
        mass += hist[k];
        if (hist[k] > 0) ++nonzero;
      }
      if (nonzero == 0) continue;
      for (size_t k = begin; k < end; ++k) {
        if (hist[k] > 0) q[k] = mass / static_cast<double>(nonzero);
      }
    }
    double psum = 0, qsum = 0;
    for (size_t k = 0; k < i; ++k) {
      psum += p[k];
      qsum += q[k];
    }
    if (psum <= 0 || qsum <= 0) continue;
    double kl = 0;
    for (size_t k = 0; k < i; ++k) {
      if (p[k] <= 0) continue;
      const double pk = p[k] / psum;
      // A bin P has and Q lacks (the clipped mass in the last bin) is smoothed rather than infinite.
      const double qk = q[k] > 0 ? q[k] / qsum : 1e-12;
      kl += pk * std::log(pk / qk);
    }
    if (kl < best_kl) {
      best_kl = kl;
      best = i;
    }
  }
  return best;
}

std::pair<float, float> RangeCollector::Range(Method method, double percentile, int quantized_bins) const {
  if (!seen_) return {0.0f, 0.0f};
  if (method == Method::kMinMax || hist_.empty()) return {min_, max_};
  const float absmax = std::max(std::fabs(min_), std::fabs(max_));
  if (!(absmax > 0)) return {min_, max_};
  size_t bins_kept = hist_.size();
  if (method == Method::kEntropy) {
    bins_kept = EntropyThresholdBins(hist_, quantized_bins);
  } else {
    double total = 0;
    for (double h : hist_) total += h;
    const double want = total * std::clamp(percentile, 0.0, 100.0) / 100.0;
    double cum = 0;
    for (size_t i = 0; i < hist_.size(); ++i) {
      cum += hist_[i];
      if (cum >= want) {
        bins_kept = i + 1;
        break;
      }
    }
  }
  const float threshold = absmax * static_cast<float>(bins_kept) / static_cast<float>(hist_.size());
  return {std::max(min_, -threshold), std::min(max_, threshold)};
}

double Sqnr(const float* reference, const float* quantized, size_t n) {
  double signal = 0, noise = 0;
  for (size_t i = 0; i < n; ++i) {
    const double r = reference[i], d = r - static_cast<double>(quantized[i]);
    signal += r * r;
    noise += d * d;
  }
  if (noise == 0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal / noise);
}

}  // namespace onyx::quant
