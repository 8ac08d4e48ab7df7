// Onyx's int8 quantization tool, in C++: static (calibrated) and dynamic quantization of a float ONNX model into a
// model onnxruntime and Onyx both run, in the form onnxruntime.quantization writes (QDQ or QOperator).
//
// Like extension.hpp, this exposes the engine's own C++ types (onyx::Value, onyx::Status) and is used by programs
// that link the CMake target onyx_internal (the `onyx quantize` command and the Python extension do). It may change
// between versions. docs/QUANTIZATION.md describes the tool, its choices and its measured accuracy.
//
//   onyx::quant::QuantizeOptions options;
//   options.mode = onyx::quant::Mode::kStatic;
//   auto result = onyx::quant::QuantizeModel("model.onnx", "model.int8.onnx", options, samples);
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "framework/value.h"

namespace onyx::quant {

enum class Mode { kStatic, kDynamic };
// QDQ: QuantizeLinear/DequantizeLinear pairs around float operators (what onnxruntime fuses into integer kernels).
// QOperator: integer operators (QLinearConv, QLinearMatMul, com.microsoft QGemm, QLinearAdd, QLinearMul,
// QLinear(Global)AveragePool, QLinearConcat); other quantized operators fall back to QDQ.
enum class Format { kQdq, kQOperator };
enum class Method { kMinMax, kEntropy, kPercentile };
enum class QType { kInt8, kUint8 };

struct QuantizeOptions {
  Mode mode = Mode::kStatic;
  Format format = Format::kQdq;
  Method method = Method::kMinMax;
  QType activation_type = QType::kInt8;
  QType weight_type = QType::kInt8;
  bool per_channel = false;
  // 7-bit ranges ([-64,64] / [0,127]): for processors without VNNI whose u8*s8 products can saturate.
  bool reduce_range = false;
  // Symmetric ranges: by default weights are symmetric when signed, activations asymmetric (as onnxruntime).
  std::optional<bool> weight_symmetric;
  bool activation_symmetric = false;
  // Operator types to quantize; empty: the default list of the mode (DefaultOpTypes).
  std::set<std::string> op_types;
  // Nodes (by name) left in float.
  std::set<std::string> nodes_to_exclude;
  // Only these nodes (by name) are quantized when not empty.
  std::set<std::string> nodes_to_quantize;
  // Percentile method: the share of |values| kept inside the range, in percent.
  double percentile = 99.999;
  // Histogram methods: bins of the |value| histogram, and (entropy) the quantized bins the KL search compares with.
  int histogram_bins = 2048;
  int quantized_bins = 128;
  // After quantizing, measure the SQNR of each quantized tensor over the calibration samples (static mode).
  bool report = false;
  // Leave the K quantized nodes that lose the most SQNR in float (static mode; implies a report).
  int keep_float = 0;
};

// The operator types quantized when QuantizeOptions::op_types is empty.
std::set<std::string> DefaultOpTypes(Mode mode);

// One calibration sample: a value for each graph input, by name.
using Feeds = std::vector<std::pair<std::string, Value>>;

// The scale and zero point of a tensor, as onnxruntime's compute_scale_zp makes them: the range is widened to
// hold 0, made symmetric when asked, scale = (rmax - rmin) / (qmax - qmin) (1 when that is below the smallest
// normal float), zero point = round(qmin - rmin / scale), or the middle of the range when symmetric.
struct QuantParams {
  float scale = 1.0f;
  int32_t zero_point = 0;
};
// The integer range of a type: [-128,127] / [0,255]; [-127,127] for symmetric int8; [-64,64] / [0,127] reduced.
std::pair<int32_t, int32_t> QRange(QType type, bool symmetric, bool reduce_range);
QuantParams ComputeQuantParams(float rmin, float rmax, QType type, bool symmetric, bool reduce_range);

// The range of one tensor seen over the calibration samples. Min/max are always kept; the histogram of |x|
// (over [0, absmax], absmax fixed by a first pass) only for the entropy and percentile methods.
class RangeCollector {
 public:
  explicit RangeCollector(int bins = 2048) : bins_(bins) {}
  void AddMinMax(const float* data, size_t n);
  // Second pass: the histogram over [0, max(|min|, |max|)] of the first, with `bins` bins or fewer for small
  // tensors (about 16 values per bin, at least 128 bins).
  void AddHistogram(const float* data, size_t n);
  float min() const { return min_; }
  float max() const { return max_; }
  bool seen() const { return seen_; }
  const std::vector<double>& histogram() const { return hist_; }
  // The range a method chooses: min/max, or [max(min, -T), min(max, T)] for the threshold T on |x| that the
  // method picks (entropy: least KL divergence of the clipped distribution from its `quantized_bins`-level
  // version; percentile: the smallest T with `percentile` % of |x| at or below it).
  std::pair<float, float> Range(Method method, double percentile, int quantized_bins) const;

 private:
  int bins_;
  float min_ = 0, max_ = 0;
  bool seen_ = false;
  double count_ = 0;  // values seen by AddMinMax: the histogram gets about one bin per 16 of them
  std::vector<double> hist_;
};

// The threshold index (in bins, 1..hist.size()) the KL-divergence search picks for a |x| histogram (its first bin,
// the exact zeros of a Relu output, counted as its neighbour).
size_t EntropyThresholdBins(const std::vector<double>& hist, int quantized_bins);

// A quantized tensor's signal-to-quantization-noise ratio over the calibration samples:
// 10 log10(sum x^2 / sum (x - x_quantized_model)^2), x from the float model.
struct TensorSqnr {
  std::string tensor;  // the float model's tensor name
  std::string node;    // the quantized node that reads it (the first one)
  double sqnr_db = 0;
};

struct QuantizeResult {
  std::vector<std::string> quantized_nodes;
  std::vector<std::string> float_nodes_kept;  // by --keep-float
  std::vector<TensorSqnr> report;             // worst first; empty unless asked
  std::vector<std::string> notes;             // what was changed or skipped, one line each
};

// Quantizes the model at `model_path` and writes it to `output_path`. Static mode runs the float model on the
// `samples` (at least one) to find activation ranges; dynamic mode ignores them.
Result<QuantizeResult> QuantizeModel(const std::string& model_path, const std::string& output_path,
                                     const QuantizeOptions& options, const std::vector<Feeds>& samples);

// SQNR in dB of `quantized` against `reference` (element counts must match); +inf when they are equal.
double Sqnr(const float* reference, const float* quantized, size_t n);

}  // namespace onyx::quant
