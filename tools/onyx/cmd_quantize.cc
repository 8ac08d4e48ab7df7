// `onyx quantize`: static (calibrated) or dynamic int8 quantization of a float model, in onnxruntime's QDQ or
// QOperator form, with an optional per-tensor SQNR report and automatic float fallback for sensitive layers.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli_common.h"
#include "commands.h"
#include "onyx/quantization.hpp"

namespace onyx::cli {

namespace fs = std::filesystem;

const char kQuantizeUsage[] =
    "usage: onyx quantize MODEL -o OUT.onnx [--mode static|dynamic] [--calibration DIR]\n"
    "                     [--method minmax|entropy|percentile] [--percentile P] [--format qdq|qoperator]\n"
    "                     [--per-channel] [--activation-type s8|u8] [--weight-type s8|u8] [--reduce-range]\n"
    "                     [--exclude NODE]... [--op-types Conv,MatMul,...] [--report] [--keep-float K]\n"
    "\n"
    "Quantizes MODEL to int8 and writes OUT.onnx, a model onnxruntime also runs.\n"
    "  --mode static      (default) ranges of activations found by running MODEL on calibration samples;\n"
    "                     QuantizeLinear/DequantizeLinear around them, int8 weights, int32 biases\n"
    "  --mode dynamic     int8 weights of MatMul/Gemm (Conv with --op-types), activations quantized at run time\n"
    "  --calibration DIR  the samples (static mode): one subfolder per sample (sorted by name; e.g. ONNX test\n"
    "                     folders test_data_set_N) holding one file per model input, named INPUT.npy, INPUT.pb,\n"
    "                     input_K.npy or input_K.pb (K the input's position); or, for a model with a single\n"
    "                     input, .npy/.pb files directly in DIR, one sample each\n"
    "  --method M         minmax (default), entropy (least KL divergence), percentile (--percentile, 99.999)\n"
    "  --format F         qdq (default) or qoperator (QLinearConv, QLinearMatMul, com.microsoft QGemm,\n"
    "                     QLinearAdd, ...; other nodes in QDQ form)\n"
    "  --per-channel      one weight scale per output channel (Conv/MatMul/Gemm)\n"
    "  --activation-type  s8 (default) or u8;  --weight-type s8 (default) or u8\n"
    "  --reduce-range     7-bit weights, for processors without VNNI\n"
    "  --exclude NODE     leave this node in float (repeatable; an unnamed node by its first output's name)\n"
    "  --op-types LIST    the operator types to quantize (default: Conv,MatMul,Gemm,Add,Mul,Relu,Clip,MaxPool,\n"
    "                     AveragePool,GlobalAveragePool,Concat static; MatMul,Gemm dynamic)\n"
    "  --report           print the SQNR (dB) of every quantized tensor against the float model over the\n"
    "                     calibration samples, worst first\n"
    "  --keep-float K     leave the K nodes whose outputs lose the most SQNR in float\n";

namespace {

quant::QType ParseQType(const std::string& flag, const std::string& v) {
  if (v == "s8" || v == "int8" || v == "QInt8") return quant::QType::kInt8;
  if (v == "u8" || v == "uint8" || v == "QUInt8") return quant::QType::kUint8;
  Fail(flag, " must be s8 or u8, got '", v, "'");
}

bool IsTensorFile(const fs::path& p) {
  const std::string e = p.extension().string();
  return fs::is_regular_file(p) && (e == ".npy" || e == ".pb");
}

// One sample from a folder: a file per model input, by name or by position.
quant::Feeds ReadSampleFolder(const fs::path& dir, const Session& session) {
  quant::Feeds feeds;
  const auto& inputs = session.inputs();
  for (size_t k = 0; k < inputs.size(); ++k) {
    const std::string& name = inputs[k].name;
    std::vector<std::string> stems = {name, SanitizeFileName(name), "input_" + std::to_string(k)};
    std::string found;
    for (const std::string& stem : stems) {
      for (const char* ext : {".npy", ".pb"}) {
        std::error_code ec;
        if (found.empty() && fs::is_regular_file(dir / (stem + ext), ec)) found = (dir / (stem + ext)).string();
      }
    }
    if (found.empty()) {
      Fail("calibration sample '", dir.string(), "' has no file for input '", name, "' (looked for ", name,
           ".npy/.pb and input_", k, ".npy/.pb)");
    }
    feeds.emplace_back(name, LoadInputFile(found, inputs[k].type));
  }
  return feeds;
}

std::vector<quant::Feeds> ReadCalibration(const std::string& dir, const std::string& model_path) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) Fail("--calibration '", dir, "' is not a folder");
  SessionOptions options;
  options.optimization_level = OptimizationLevel::kDisabled;
  auto session = Session::Create(model_path, options);
  if (!session.ok()) Fail("cannot load '", model_path, "': ", session.status().message());
  std::vector<fs::path> folders, files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_directory()) folders.push_back(e.path());
    if (IsTensorFile(e.path())) files.push_back(e.path());
  }
  std::sort(folders.begin(), folders.end());
  std::sort(files.begin(), files.end());
  std::vector<quant::Feeds> samples;
  if (!folders.empty()) {
    for (const auto& f : folders) samples.push_back(ReadSampleFolder(f, *session.value()));
  } else if (!files.empty()) {
    const auto& inputs = session.value()->inputs();
    if (inputs.size() != 1) {
      Fail("--calibration '", dir, "' holds files but the model has ", inputs.size(),
           " inputs: give one subfolder per sample with a file per input");
    }
    for (const auto& f : files) samples.push_back({{inputs[0].name, LoadInputFile(f.string(), inputs[0].type)}});
  }
  if (samples.empty()) Fail("--calibration '", dir, "' holds no samples (subfolders or .npy/.pb files)");
  return samples;
}

std::string FormatDb(double db) {
  if (std::isinf(db)) return db > 0 ? "exact" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", db);
  return buf;
}

}  // namespace

int QuantizeCommand(const std::vector<std::string>& args) {
  ArgReader reader("quantize", args);
  std::string model_path, out_path, calibration, positional, value;
  quant::QuantizeOptions options;
  bool mode_given = false;
  while (!reader.done()) {
    if (reader.Flag({"-o", "--output"}, &value)) {
      if (value.empty()) Fail("-o needs a file name");
      out_path = value;
    } else if (reader.Flag({"--mode"}, &value)) {
      if (value != "static" && value != "dynamic") Fail("--mode must be static or dynamic, got '", value, "'");
      options.mode = value == "static" ? quant::Mode::kStatic : quant::Mode::kDynamic;
      mode_given = true;
    } else if (reader.Flag({"--calibration"}, &value)) {
      calibration = value;
    } else if (reader.Flag({"--method"}, &value)) {
      if (value == "minmax") {
        options.method = quant::Method::kMinMax;
      } else if (value == "entropy") {
        options.method = quant::Method::kEntropy;
      } else if (value == "percentile") {
        options.method = quant::Method::kPercentile;
      } else {
        Fail("--method must be minmax, entropy or percentile, got '", value, "'");
      }
    } else if (reader.Flag({"--percentile"}, &value)) {
      options.percentile = ParseDouble("--percentile", value, 0);
    } else if (reader.Flag({"--format"}, &value)) {
      if (value != "qdq" && value != "qoperator") Fail("--format must be qdq or qoperator, got '", value, "'");
      options.format = value == "qdq" ? quant::Format::kQdq : quant::Format::kQOperator;
    } else if (reader.Switch({"--per-channel"})) {
      options.per_channel = true;
    } else if (reader.Flag({"--activation-type"}, &value)) {
      options.activation_type = ParseQType("--activation-type", value);
    } else if (reader.Flag({"--weight-type"}, &value)) {
      options.weight_type = ParseQType("--weight-type", value);
    } else if (reader.Switch({"--reduce-range"})) {
      options.reduce_range = true;
    } else if (reader.Flag({"--exclude"}, &value)) {
      options.nodes_to_exclude.insert(value);
    } else if (reader.Flag({"--op-types"}, &value)) {
      std::stringstream ss(value);
      std::string op;
      while (std::getline(ss, op, ',')) {
        if (!op.empty()) options.op_types.insert(op);
      }
      if (options.op_types.empty()) Fail("--op-types needs at least one operator type");
    } else if (reader.Switch({"--report"})) {
      options.report = true;
    } else if (reader.Flag({"--keep-float"}, &value)) {
      options.keep_float = static_cast<int>(ParseInt("--keep-float", value, 0, 1 << 20));
    } else if (reader.Positional(&positional)) {
      if (!model_path.empty()) Fail("'onyx quantize' takes one model, got '", model_path, "' and '", positional, "'");
      model_path = positional;
    } else {
      reader.Unknown();
    }
  }
  if (model_path.empty()) Fail("'onyx quantize' needs a MODEL (see 'onyx quantize --help')");
  if (out_path.empty()) Fail("'onyx quantize' needs -o OUT.onnx");
  CheckModelPath(model_path);
  std::error_code ec;
  if (fs::weakly_canonical(model_path, ec) == fs::weakly_canonical(out_path, ec)) {
    Fail("-o would overwrite the input model '", model_path, "'");
  }
  if (!mode_given && calibration.empty()) Fail("static quantization needs --calibration DIR (or use --mode dynamic)");
  if (options.mode == quant::Mode::kDynamic && !calibration.empty()) Fail("--calibration is for --mode static");
  if (options.mode == quant::Mode::kStatic && calibration.empty()) Fail("--mode static needs --calibration DIR");
  std::vector<quant::Feeds> samples;
  if (!calibration.empty()) samples = ReadCalibration(calibration, model_path);

  auto result = quant::QuantizeModel(model_path, out_path, options, samples);
  if (!result.ok()) Fail("cannot quantize '", model_path, "': ", result.status().message());
  const quant::QuantizeResult& r = result.value();
  for (const std::string& note : r.notes) std::cout << "note: " << note << "\n";
  if (options.report || options.keep_float > 0) {
    std::cout << "SQNR of each quantized tensor against float over " << samples.size() << " samples, worst first:\n";
    std::cout << "  SQNR dB  tensor (read by node)\n";
    for (const auto& t : r.report) {
      char line[32];
      std::snprintf(line, sizeof line, "%9s", FormatDb(t.sqnr_db).c_str());
      std::cout << line << "  " << t.tensor << " (" << t.node << ")\n";
    }
  }
  std::cout << "quantized " << r.quantized_nodes.size() << " nodes"
            << (samples.empty() ? "" : " with " + std::to_string(samples.size()) + " calibration samples");
  if (!r.float_nodes_kept.empty()) std::cout << ", kept " << r.float_nodes_kept.size() << " in float";
  std::cout << "\nwrote " << out_path << "\n";
  return 0;
}

}  // namespace onyx::cli
