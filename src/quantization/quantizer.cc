// QuantizeModel: load, pick the nodes, calibrate (static), rewrite, measure (report, keep-float), save, and check
// that what was written loads.
#include <algorithm>
#include <cmath>
#include <limits>

#include "format/model_loader.h"
#include "format/model_saver.h"
#include "ir/shape_inference.h"
#include "ir/validate.h"
#include "onnx.pb.h"
#include "quantization/rewrite.h"
#include "session/session.h"

namespace onyx::quant {

namespace {

Result<std::unique_ptr<ir::Model>> LoadForQuantizing(const std::string& path) {
  ONYX_ASSIGN_OR_RETURN(auto model, format::LoadModel(path));
  ONYX_RETURN_IF_ERROR(ir::ValidateModel(*model));
  ONYX_RETURN_IF_ERROR(ir::InferShapes(*model->graph));
  // Initializers listed as inputs too (IR < 4 convention) are the weights to quantize, as onnxruntime treats them.
  for (ir::Value* v : std::vector<ir::Value*>(model->graph->inputs())) {
    if (v->initializer()) model->graph->DemoteInputToConstant(v);
  }
  model->metadata.ir_version = std::max<int64_t>(model->metadata.ir_version, 4);
  return model;
}

// Drops the float weights the rewrite replaced.
void RemoveUnusedConstants(ir::Graph& graph) {
  for (ir::Value* v : std::vector<ir::Value*>(graph.initializers())) {
    if (v->consumers().empty() && !v->is_graph_output() && !v->is_graph_input()) graph.RemoveInitializer(v);
  }
  graph.PruneValues();
}

SessionOptions PlainSession() {
  SessionOptions options;
  // Every tensor of the model keeps its name at this level, so any of them can be fetched.
  options.optimization_level = OptimizationLevel::kDisabled;
  return options;
}

Result<std::unique_ptr<Session>> SessionFor(const ir::Model& model) {
  proto::ModelProto mp;
  ONYX_RETURN_IF_ERROR(format::ModelToProto(model, &mp));
  std::string bytes;
  if (!mp.SerializeToString(&bytes)) return Fail("cannot serialize the quantized model");
  return Session::CreateFromBytes(bytes.data(), bytes.size(), PlainSession());
}

Status Calibrate(const std::string& model_path, const std::vector<std::string>& names,
                 const std::vector<Feeds>& samples, const QuantizeOptions& options, RangeMap* ranges) {
  ONYX_ASSIGN_OR_RETURN(auto session, Session::Create(model_path, PlainSession()));
  std::vector<RangeCollector> collectors(names.size(), RangeCollector(options.histogram_bins));
  const int passes = options.method == Method::kMinMax ? 1 : 2;
  std::vector<Value> outs;
  for (int pass = 0; pass < passes; ++pass) {
    for (size_t s = 0; s < samples.size(); ++s) {
      Status st = session->Run(samples[s], names, &outs);
      if (!st.ok()) return st.WithContext(MakeString("calibration sample ", s));
      for (size_t i = 0; i < names.size(); ++i) {
        if (!outs[i].is_tensor() || outs[i].tensor().type() != DataType::kFloat) continue;
        const Tensor& t = outs[i].tensor();
        const auto n = static_cast<size_t>(t.size());
        if (pass == 0) {
          collectors[i].AddMinMax(t.data<float>(), n);
        } else {
          collectors[i].AddHistogram(t.data<float>(), n);
        }
      }
    }
  }
  for (size_t i = 0; i < names.size(); ++i) {
    if (collectors[i].seen())
      (*ranges)[names[i]] = collectors[i].Range(options.method, options.percentile, options.quantized_bins);
  }
  return Status::Ok();
}

struct Built {
  std::unique_ptr<ir::Model> model;
  StaticRewriteInfo info;
  std::vector<std::string> notes;
};

// The opset a quantized model needs: DequantizeLinear's axis (per channel) came in 13, DynamicQuantizeLinear in
// 11, QuantizeLinear in 10.
Status PrepareOpset(ir::Model& model, QuantizeOptions* options, std::vector<std::string>* notes) {
  const int64_t want = options->mode == Mode::kDynamic ? 11 : options->per_channel ? 13 : 10;
  std::string why;
  if (RaiseOpset(model, want, &why)) return Status::Ok();
  if (options->mode == Mode::kStatic && options->per_channel && RaiseOpset(model, 10, &why)) {
    notes->push_back("per-channel weights need opset 13 (" + why + "): weights quantized per tensor instead");
    options->per_channel = false;
    return Status::Ok();
  }
  return InvalidArgument("cannot raise the model to opset ", want, " for quantization: ", why,
                         "; convert the model to a newer opset first");
}

Result<Built> BuildStatic(const std::string& model_path, QuantizeOptions options, const RangeMap& ranges) {
  Built b;
  ONYX_ASSIGN_OR_RETURN(b.model, LoadForQuantizing(model_path));
  ONYX_RETURN_IF_ERROR(PrepareOpset(*b.model, &options, &b.notes));
  ONYX_ASSIGN_OR_RETURN(std::vector<ir::Node*> nodes, SelectNodes(*b.model->graph, options));
  ONYX_RETURN_IF_ERROR(RewriteStatic(*b.model, nodes, ranges, options, &b.info, &b.notes));
  RemoveUnusedConstants(*b.model->graph);
  return b;
}

struct Measured {
  std::vector<TensorSqnr> tensors;                        // worst first
  std::vector<std::pair<std::string, double>> node_loss;  // node, dB its output loses against its inputs
};

// Runs the float model and the QDQ model over the samples and compares each quantized tensor (the value its
// readers see, after QuantizeLinear/DequantizeLinear) and each quantized node's output with the float ones.
Result<Measured> Measure(const std::string& model_path, const Built& qdq, const std::vector<Feeds>& samples) {
  ONYX_ASSIGN_OR_RETURN(auto reference, Session::Create(model_path, PlainSession()));
  ONYX_ASSIGN_OR_RETURN(auto quantized, SessionFor(*qdq.model));
  std::vector<std::string> ref_names, q_names;
  for (const auto& t : qdq.info.tensors) {
    ref_names.push_back(t.name);
    q_names.push_back(t.dequantized);
  }
  const size_t tensor_count = ref_names.size();
  // A node's output is compared after its own quantization where it has one: a producer whose Relu was folded
  // writes negative values that only its QuantizeLinear clamps.
  std::map<std::string, std::string> dequantized;
  for (const auto& t : qdq.info.tensors) dequantized[t.name] = t.dequantized;
  std::vector<std::string> nodes;
  for (const std::string& n : qdq.info.quantized_nodes) {
    for (const auto& node : qdq.model->graph->nodes()) {
      if (NodeId(*node) != n || !node->output(0)) continue;
      nodes.push_back(n);
      const std::string& out = node->output(0)->name();
      ref_names.push_back(out);
      q_names.push_back(dequantized.count(out) ? dequantized[out] : out);
    }
  }
  std::vector<double> signal(ref_names.size(), 0), noise(ref_names.size(), 0);
  std::vector<Value> ref_out, q_out;
  for (size_t s = 0; s < samples.size(); ++s) {
    ONYX_RETURN_IF_ERROR(reference->Run(samples[s], ref_names, &ref_out));
    ONYX_RETURN_IF_ERROR(quantized->Run(samples[s], q_names, &q_out));
    for (size_t i = 0; i < ref_names.size(); ++i) {
      const Tensor& r = ref_out[i].tensor();
      const Tensor& q = q_out[i].tensor();
      if (r.type() != DataType::kFloat || q.type() != DataType::kFloat || r.size() != q.size()) continue;
      for (int64_t k = 0; k < r.size(); ++k) {
        const double a = r.data<float>()[k], d = a - static_cast<double>(q.data<float>()[k]);
        signal[i] += a * a;
        noise[i] += d * d;
      }
    }
  }
  auto db = [&](size_t i) {
    if (noise[i] == 0) return std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(signal[i] / noise[i]);
  };
  Measured m;
  std::map<std::string, double> by_tensor;
  for (size_t i = 0; i < tensor_count; ++i) {
    m.tensors.push_back({qdq.info.tensors[i].name, qdq.info.tensors[i].node, db(i)});
    by_tensor[qdq.info.tensors[i].name] = db(i);
  }
  std::stable_sort(m.tensors.begin(), m.tensors.end(),
                   [](const auto& a, const auto& b) { return a.sqnr_db < b.sqnr_db; });
  // A node's loss: the SQNR of its inputs (the worst quantized one) less that of its output.
  ONYX_ASSIGN_OR_RETURN(auto plain, LoadForQuantizing(model_path));
  for (size_t j = 0; j < nodes.size(); ++j) {
    double in_db = std::numeric_limits<double>::infinity();
    for (const auto& node : plain->graph->nodes()) {
      if (NodeId(*node) != nodes[j]) continue;
      for (const ir::Value* v : node->inputs()) {
        if (v && by_tensor.count(v->name())) in_db = std::min(in_db, by_tensor[v->name()]);
      }
    }
    const double out_db = db(tensor_count + j);
    const double loss = std::isinf(in_db) ? (std::isinf(out_db) ? 0 : 200 - out_db) : in_db - out_db;
    m.node_loss.emplace_back(nodes[j], loss);
  }
  return m;
}

Status CheckOptions(const QuantizeOptions& o, const std::vector<Feeds>& samples) {
  if (o.mode == Mode::kStatic && samples.empty()) {
    return InvalidArgument("static quantization needs calibration samples (none were given)");
  }
  if (o.keep_float < 0) return InvalidArgument("keep_float must be 0 or more, got ", o.keep_float);
  if (!(o.percentile > 0 && o.percentile <= 100))
    return InvalidArgument("percentile must be in (0, 100], got ", o.percentile);
  if (o.histogram_bins < 16 || o.histogram_bins > (1 << 20))
    return InvalidArgument("histogram_bins must be 16 to 2^20");
  if (o.quantized_bins < 2 || o.quantized_bins > o.histogram_bins) {
    return InvalidArgument("quantized_bins must be 2 to histogram_bins, got ", o.quantized_bins);
  }
  if (o.mode == Mode::kDynamic && (o.report || o.keep_float > 0)) {
    return InvalidArgument("the report and keep-float need static quantization (calibration samples)");
  }
  return Status::Ok();
}

Status SaveAndCheck(const ir::Model& model, const std::string& output_path) {
  ONYX_RETURN_IF_ERROR(format::SaveModel(model, output_path));
  auto check = Session::Create(output_path);
  if (!check.ok())
    return check.status().WithContext("the quantized model written to '" + output_path + "' does not load");
  return Status::Ok();
}

}  // namespace

Result<QuantizeResult> QuantizeModel(const std::string& model_path, const std::string& output_path,
                                     const QuantizeOptions& given, const std::vector<Feeds>& samples) {
  ONYX_RETURN_IF_ERROR(CheckOptions(given, samples));
  QuantizeResult result;
  QuantizeOptions options = given;
  if (options.mode == Mode::kDynamic) {
    ONYX_ASSIGN_OR_RETURN(auto model, LoadForQuantizing(model_path));
    ONYX_RETURN_IF_ERROR(PrepareOpset(*model, &options, &result.notes));
    ONYX_ASSIGN_OR_RETURN(std::vector<ir::Node*> nodes, SelectNodes(*model->graph, options));
    ONYX_RETURN_IF_ERROR(RewriteDynamic(*model, nodes, options, &result.quantized_nodes, &result.notes));
    RemoveUnusedConstants(*model->graph);
    ONYX_RETURN_IF_ERROR(SaveAndCheck(*model, output_path));
    return result;
  }

  // Calibrate the activations every selected node reads (and, for QOperator nodes, writes).
  RangeMap ranges;
  {
    ONYX_ASSIGN_OR_RETURN(auto model, LoadForQuantizing(model_path));
    ONYX_ASSIGN_OR_RETURN(std::vector<ir::Node*> nodes, SelectNodes(*model->graph, options));
    const std::vector<std::string> names = ActivationsToCalibrate(nodes, options);
    ONYX_RETURN_IF_ERROR(Calibrate(model_path, names, samples, options, &ranges));
  }

  if (options.report || options.keep_float > 0) {
    // Measured on the QDQ form, whose tensors keep the float model's names (QOperator computes the same
    // quantized values up to the rounding of its requantization).
    QuantizeOptions qdq = options;
    qdq.format = Format::kQdq;
    ONYX_ASSIGN_OR_RETURN(Built twin, BuildStatic(model_path, qdq, ranges));
    ONYX_ASSIGN_OR_RETURN(Measured m, Measure(model_path, twin, samples));
    if (options.keep_float > 0) {
      auto loss = m.node_loss;
      std::stable_sort(loss.begin(), loss.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
      ONYX_ASSIGN_OR_RETURN(auto plain, LoadForQuantizing(model_path));
      for (size_t i = 0; i < loss.size() && static_cast<int>(i) < options.keep_float; ++i) {
        options.nodes_to_exclude.insert(loss[i].first);
        // A Relu that only this node feeds goes with it: quantizing the Relu alone would still round the output.
        for (const auto& node : plain->graph->nodes()) {
          if (NodeId(*node) != loss[i].first || !node->output(0)) continue;
          const auto& readers = node->output(0)->consumers();
          if (readers.size() == 1 && readers[0]->op_type() == "Relu")
            options.nodes_to_exclude.insert(NodeId(*readers[0]));
        }
        result.float_nodes_kept.push_back(loss[i].first);
        result.notes.push_back(MakeString("kept in float: node '", loss[i].first, "' (its output lost ", loss[i].second,
                                          " dB of SQNR against its inputs)"));
      }
      qdq.nodes_to_exclude = options.nodes_to_exclude;
      ONYX_ASSIGN_OR_RETURN(twin, BuildStatic(model_path, qdq, ranges));
      ONYX_ASSIGN_OR_RETURN(m, Measure(model_path, twin, samples));
    }
    result.report = std::move(m.tensors);
  }

  ONYX_ASSIGN_OR_RETURN(Built final_model, BuildStatic(model_path, options, ranges));
  result.quantized_nodes = final_model.info.quantized_nodes;
  for (auto& n : final_model.notes) result.notes.push_back(std::move(n));
  ONYX_RETURN_IF_ERROR(SaveAndCheck(*final_model.model, output_path));
  return result;
}

}  // namespace onyx::quant
