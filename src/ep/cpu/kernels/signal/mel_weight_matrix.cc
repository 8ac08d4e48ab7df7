// MelWeightMatrix (opset 17): a (dft_length / 2 + 1, num_mel_bins) matrix of triangular filters, evenly
// spaced on the mel scale mel(f) = 2595 log10(1 + f / 700) between lower_edge_hertz and upper_edge_hertz,
// each peaking at 1. Band edges are snapped to spectrogram bins as floor((dft_length + 1) * f / sample_rate),
// which is how the specification's reference and ONNX Runtime place them.
#include <cmath>
#include <vector>

#include "common/checked_math.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/signal/window_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

namespace {

double HertzToMel(double f) { return 2595.0 * std::log10(1.0 + f / 700.0); }
double MelToHertz(double m) { return 700.0 * (std::pow(10.0, m / 2595.0) - 1.0); }

Status ReadFloatScalar(const KernelContext& ctx, size_t i, const char* name, double* out) {
  const Tensor* t = ctx.input(i);
  if (!t) return ctx.Error("input ", name, " is required");
  if (t->size() != 1 || !IsFloatingPoint(t->type())) {
    return ctx.Error(name, " must be a single floating-point value, got ", t->Describe());
  }
  *out = ToDoubleVector(*t)[0];
  return Status::Ok();
}

class MelWeightMatrixKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return window::ReadOutputType(info, &type_); }

  Status Compute(KernelContext& ctx) const override {
    int64_t mel_bins = 0, dft_length = 0, sample_rate = 0;
    double lower = 0, upper = 0;
    ONYX_RETURN_IF_ERROR(window::ReadIntScalar(ctx, 0, "num_mel_bins", &mel_bins));
    ONYX_RETURN_IF_ERROR(window::ReadIntScalar(ctx, 1, "dft_length", &dft_length));
    ONYX_RETURN_IF_ERROR(window::ReadIntScalar(ctx, 2, "sample_rate", &sample_rate));
    ONYX_RETURN_IF_ERROR(ReadFloatScalar(ctx, 3, "lower_edge_hertz", &lower));
    ONYX_RETURN_IF_ERROR(ReadFloatScalar(ctx, 4, "upper_edge_hertz", &upper));
    if (mel_bins <= 0 || dft_length <= 0 || sample_rate <= 0) {
      return ctx.Error("num_mel_bins, dft_length and sample_rate must be positive");
    }
    if (!(lower >= 0) || !(upper >= lower)) {
      return ctx.Error("need 0 <= lower_edge_hertz <= upper_edge_hertz, got ", lower, " and ", upper);
    }
    // An infinite edge passes the test above but makes the mel step inf - inf = NaN, whose cast to a bin index is
    // undefined (found by fuzzing).
    if (!std::isfinite(upper)) return ctx.Error("upper_edge_hertz must be finite, got ", upper);
    const int64_t spectrogram_bins = dft_length / 2 + 1;
    int64_t count = 0;
    if (!CheckedMul(spectrogram_bins, mel_bins, &count)) return ctx.Error("output size overflows");
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, type_, Shape{spectrogram_bins, mel_bins}));
    // mel_bins + 2 band edges, evenly spaced in mel, snapped to spectrogram bins. The step divides the mel range
    // by mel_bins + 2 (not + 1, so the last edge stops short of upper_edge_hertz): the conformance data and
    // the reference are built that way.
    const double low_mel = HertzToMel(lower), high_mel = HertzToMel(upper);
    const double step = (high_mel - low_mel) / static_cast<double>(mel_bins + 2);
    std::vector<int64_t> edge(static_cast<size_t>(mel_bins + 2));
    for (int64_t i = 0; i < mel_bins + 2; ++i) {
      const double hz = MelToHertz(static_cast<double>(i) * step + low_mel);
      const double bin = std::floor(static_cast<double>(dft_length + 1) * hz / static_cast<double>(sample_rate));
      edge[i] = static_cast<int64_t>(std::clamp(bin, -1.0, 9.0e15));
    }
    std::vector<double> w(static_cast<size_t>(count), 0.0);
    // Band edges past the spectrogram (upper_edge_hertz above the Nyquist frequency) are dropped.
    auto set = [&](int64_t row, int64_t col, double v) {
      if (row >= 0 && row < spectrogram_bins) w[static_cast<size_t>(row * mel_bins + col)] = v;
    };
    for (int64_t m = 0; m < mel_bins; ++m) {
      const int64_t left = edge[m], center = edge[m + 1], right = edge[m + 2];
      if (center == left) {
        set(center, m, 1.0);
      } else {
        for (int64_t j = std::max<int64_t>(left, 0); j <= std::min(center, spectrogram_bins - 1); ++j) {
          set(j, m, static_cast<double>(j - left) / static_cast<double>(center - left));
        }
      }
      if (right > center) {
        for (int64_t j = std::max<int64_t>(center, 0); j < std::min(right, spectrogram_bins); ++j) {
          set(j, m, static_cast<double>(right - j) / static_cast<double>(right - center));
        }
      }
    }
    return window::WriteValues(ctx, w, y);
  }

 private:
  DataType type_ = DataType::kFloat;
};

Status InferMelWeightMatrix(ir::InferenceContext& ctx) {
  const int64_t t = ctx.attr_int("output_datatype", 1);
  const DataType type = window::IsAllowedOutputType(t) ? static_cast<DataType>(t) : DataType::kUndefined;
  ir::SymShape out(2);
  auto scalar = [&](size_t i) -> int64_t {
    const Tensor* s = ctx.input_constant(i);
    if (!s || s->size() != 1) return -1;
    if (s->type() == DataType::kInt64) return s->data<int64_t>()[0];
    if (s->type() == DataType::kInt32) return s->data<int32_t>()[0];
    return -1;
  };
  if (const int64_t n = scalar(1); n > 0) out[0] = ir::Dim::Known(n / 2 + 1);
  if (const int64_t m = scalar(0); m > 0) out[1] = ir::Dim::Known(m);
  ctx.SetOutput(0, type, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(MelWeightMatrixKernel, KernelDef("CPU", "", "MelWeightMatrix").Versions(17));
ONYX_REGISTER_SHAPE_INFERENCE("", "MelWeightMatrix", InferMelWeightMatrix);

}  // namespace onyx::cpu
