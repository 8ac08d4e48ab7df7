// `onyx._onyx.quantize`: the C++ quantizer (include/onyx/quantization.hpp) for onyx.quantization, which turns
// onnxruntime.quantization's arguments into the options dict and a CalibrationDataReader into the samples.
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "onyx/quantization.hpp"
#include "py_common.h"

namespace onyx::py {

namespace {

quant::QType QTypeOf(const std::string& s) {
  if (s == "s8") return quant::QType::kInt8;
  if (s == "u8") return quant::QType::kUint8;
  throw StatusError(InvalidArgument("quantization type must be QInt8 or QUInt8, got '", s, "'"));
}

template <typename T>
T Get(const nb::dict& d, const char* key, T def) {
  return d.contains(key) ? nb::cast<T>(d[key]) : def;
}

std::set<std::string> GetSet(const nb::dict& d, const char* key) {
  std::set<std::string> out;
  if (d.contains(key) && !d[key].is_none()) {
    for (nb::handle h : d[key]) out.insert(nb::cast<std::string>(h));
  }
  return out;
}

quant::QuantizeOptions OptionsFrom(const nb::dict& d) {
  quant::QuantizeOptions o;
  const std::string mode = Get<std::string>(d, "mode", "static");
  o.mode = mode == "dynamic" ? quant::Mode::kDynamic : quant::Mode::kStatic;
  o.format = Get<std::string>(d, "format", "qdq") == "qoperator" ? quant::Format::kQOperator : quant::Format::kQdq;
  const std::string method = Get<std::string>(d, "method", "minmax");
  if (method == "minmax") {
    o.method = quant::Method::kMinMax;
  } else if (method == "entropy") {
    o.method = quant::Method::kEntropy;
  } else if (method == "percentile") {
    o.method = quant::Method::kPercentile;
  } else {
    throw StatusError(InvalidArgument("calibration method must be MinMax, Entropy or Percentile, got '", method, "'"));
  }
  o.activation_type = QTypeOf(Get<std::string>(d, "activation_type", "s8"));
  o.weight_type = QTypeOf(Get<std::string>(d, "weight_type", "s8"));
  o.per_channel = Get<bool>(d, "per_channel", false);
  o.reduce_range = Get<bool>(d, "reduce_range", false);
  if (d.contains("weight_symmetric") && !d["weight_symmetric"].is_none()) {
    o.weight_symmetric = nb::cast<bool>(d["weight_symmetric"]);
  }
  o.activation_symmetric = Get<bool>(d, "activation_symmetric", false);
  o.op_types = GetSet(d, "op_types");
  o.nodes_to_exclude = GetSet(d, "nodes_to_exclude");
  o.nodes_to_quantize = GetSet(d, "nodes_to_quantize");
  o.percentile = Get<double>(d, "percentile", o.percentile);
  o.histogram_bins = Get<int>(d, "histogram_bins", o.histogram_bins);
  o.quantized_bins = Get<int>(d, "quantized_bins", o.quantized_bins);
  o.report = Get<bool>(d, "report", false);
  o.keep_float = Get<int>(d, "keep_float", 0);
  return o;
}

nb::dict Quantize(const std::string& model, const std::string& output, nb::dict options, nb::list samples) {
  const quant::QuantizeOptions o = OptionsFrom(options);
  std::vector<quant::Feeds> feeds;
  for (nb::handle sample : samples) {
    quant::Feeds f;
    for (auto [key, obj] : nb::cast<nb::dict>(sample)) {
      const std::string name = nb::cast<std::string>(key);
      f.emplace_back(name, ValueFromPy(obj, nullptr, name));
    }
    feeds.push_back(std::move(f));
  }
  Result<quant::QuantizeResult> result = Status::Ok();
  {
    nb::gil_scoped_release release;
    result = quant::QuantizeModel(model, output, o, feeds);
  }
  quant::QuantizeResult r = Unwrap(std::move(result));
  nb::dict out;
  out["quantized_nodes"] = r.quantized_nodes;
  out["float_nodes_kept"] = r.float_nodes_kept;
  out["notes"] = r.notes;
  nb::list report;
  for (const auto& t : r.report) report.append(nb::make_tuple(t.tensor, t.node, t.sqnr_db));
  out["report"] = report;
  return out;
}

}  // namespace

void BindQuantization(nb::module_& m) {
  m.def("quantize", &Quantize, nb::arg("model"), nb::arg("output"), nb::arg("options"), nb::arg("samples"));
}

}  // namespace onyx::py
