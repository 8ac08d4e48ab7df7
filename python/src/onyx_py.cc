// The `onyx._onyx` extension: the engine's Session, RunOptions and Value, bound directly (not through the C
// API). The onnxruntime-shaped API (InferenceSession, NodeArg, IOBinding, ...) is Python in onyx/.
#include <nanobind/nanobind.h>
#include <nanobind/stl/map.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/unique_ptr.h>
#include <nanobind/stl/vector.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/random_seed.h"
#include "py_common.h"
#include "session/session.h"

namespace onyx::py {

namespace {

// Mirrors onnxruntime.RunOptions; `terminate` may be set from another thread while a run is going on.
struct PyRunOptions {
  std::atomic<bool> terminate{false};
  int log_severity_level = -1;
  int log_verbosity_level = 0;
  std::string logid;
  bool only_execute_path_to_fetches = false;
  std::map<std::string, std::string> config;
};

// One element of a NodeArg shape: int for a fixed dim, str for a named one, None when unknown.
nb::object ShapeOf(const ir::Type& type) {
  const ir::Type* t = &type;
  if (!t->is_tensor() || !t->shape) return nb::list();
  nb::list dims;
  for (const ir::Dim& d : *t->shape) {
    if (d.known()) {
      dims.append(d.value);
    } else if (!d.param.empty()) {
      dims.append(nb::str(d.param.c_str()));
    } else {
      dims.append(nb::none());
    }
  }
  return dims;
}

nb::list IoList(const std::vector<IoInfo>& infos) {
  nb::list out;
  for (const IoInfo& io : infos) out.append(nb::make_tuple(io.name, io.type.ToString(), ShapeOf(io.type)));
  return out;
}

const ir::Type* ExpectedType(const Session& s, const std::string& name) {
  for (const auto* list : {&s.inputs(), &s.overridable_initializers()}) {
    for (const IoInfo& io : *list) {
      if (io.name == name) return &io.type;
    }
  }
  return nullptr;
}

std::unique_ptr<Session> CreateSession(nb::handle model, int log_level, int intra_threads, int execution_mode,
                                       int optimization_level, const std::map<std::string, std::string>& config,
                                       const std::string& optimized_model_path,
                                       const std::vector<std::string>& disabled_optimizers, bool enable_profiling,
                                       const std::string& profile_file_prefix, bool enable_cpu_mem_arena,
                                       bool enable_mem_pattern) {
  SessionOptions options;
  if (log_level < 0 || log_level > 4) {
    throw StatusError(InvalidArgument("log_severity_level must be 0 (verbose) to 4 (fatal), got ", log_level));
  }
  options.log_level = static_cast<LogLevel>(log_level);
  options.intra_op_threads = intra_threads;
  if (execution_mode != 0 && execution_mode != 1) {
    throw StatusError(
        InvalidArgument("execution_mode must be ORT_SEQUENTIAL (0) or ORT_PARALLEL (1), got ", execution_mode));
  }
  options.execution_mode = static_cast<ExecutionMode>(execution_mode);
  switch (optimization_level) {
    case 0:
      options.optimization_level = OptimizationLevel::kDisabled;
      break;
    case 1:
      options.optimization_level = OptimizationLevel::kBasic;
      break;
    case 2:
    case 3:
      options.optimization_level = OptimizationLevel::kExtended;
      break;
    case 99:
      options.optimization_level = OptimizationLevel::kAll;
      break;
    default:
      throw StatusError(InvalidArgument("graph_optimization_level must be 0, 1, 2, 3 or 99, got ", optimization_level));
  }
  options.config = config;
  options.optimized_model_path = optimized_model_path;
  options.disabled_passes.insert(disabled_optimizers.begin(), disabled_optimizers.end());
  options.enable_profiling = enable_profiling;
  options.profile_file_prefix = profile_file_prefix;
  options.enable_cpu_mem_arena = enable_cpu_mem_arena;
  options.enable_mem_pattern = enable_mem_pattern;
  Result<std::unique_ptr<Session>> result = Status::Ok();
  if (PyBytes_Check(model.ptr())) {
    // The bytes object is immutable and `model` holds it, so the GIL can go while the model loads.
    const char* data = PyBytes_AS_STRING(model.ptr());
    size_t size = static_cast<size_t>(PyBytes_GET_SIZE(model.ptr()));
    nb::gil_scoped_release release;
    result = Session::CreateFromBytes(data, size, options);
  } else {
    std::string path = nb::cast<std::string>(model);
    nb::gil_scoped_release release;
    result = Session::Create(path, options);
  }
  return Unwrap(std::move(result));
}

std::vector<std::string> OutputNames(nb::handle names) {
  std::vector<std::string> out;
  if (names.is_none()) return out;
  for (nb::handle n : names) out.push_back(nb::cast<std::string>(n));
  return out;
}

// Runs with the GIL released; feeds stay alive (and so the callers' arrays) until the outputs are converted.
std::vector<Value> RunSession(const Session& s, std::vector<std::pair<std::string, Value>>& feeds,
                              const std::vector<std::string>& names, PyRunOptions* run_options) {
  RunOptions options;
  if (run_options) options.terminate = &run_options->terminate;
  std::vector<Value> outputs;
  Status status;
  {
    nb::gil_scoped_release release;
    status = s.Run(feeds, names, &outputs, options);
  }
  ThrowIfError(status);
  return outputs;
}

nb::list Run(const Session& s, nb::handle output_names, nb::dict input_feed, PyRunOptions* run_options) {
  std::vector<std::pair<std::string, Value>> feeds;
  feeds.reserve(input_feed.size());
  for (auto [key, obj] : input_feed) {
    std::string name = nb::cast<std::string>(key);
    feeds.emplace_back(name, ValueFromPy(obj, ExpectedType(s, name), name));
  }
  std::vector<std::string> names = OutputNames(output_names);
  std::vector<Value> outputs = RunSession(s, feeds, names, run_options);
  std::unordered_set<const Buffer*> foreign;
  for (const auto& feed : feeds) CollectBuffers(feed.second, &foreign);
  nb::list result;
  for (const Value& v : outputs) result.append(ValueToPy(v, &foreign));
  return result;
}

std::vector<Value> RunValues(const Session& s, nb::handle output_names, nb::dict input_feed,
                             PyRunOptions* run_options) {
  std::vector<std::pair<std::string, Value>> feeds;
  for (auto [key, obj] : input_feed) {
    std::string name = nb::cast<std::string>(key);
    feeds.emplace_back(name, ValueFromPy(obj, ExpectedType(s, name), name));
  }
  return RunSession(s, feeds, OutputNames(output_names), run_options);
}

nb::dict Metadata(const Session& s) {
  const ir::ModelMetadata& m = s.metadata();
  nb::dict d;
  d["producer_name"] = m.producer_name;
  d["producer_version"] = m.producer_version;
  d["domain"] = m.domain;
  d["description"] = m.doc_string;
  d["graph_name"] = m.graph_name;
  d["graph_description"] = m.graph_doc_string;
  d["version"] = m.model_version;
  nb::dict custom;
  for (const auto& [k, v] : m.metadata_props) custom[nb::str(k.c_str())] = v;
  d["custom_metadata_map"] = custom;
  return d;
}

nb::list ValueShape(const Value& v) {
  nb::list out;
  if (v.is_tensor()) {
    for (int64_t d : v.tensor().shape()) out.append(d);
  }
  return out;
}

Value ValueFromShapeAndType(const std::vector<int64_t>& shape, int elem_type) {
  if (!IsValidDataType(elem_type) || elem_type == 0) {
    throw StatusError(InvalidArgument("unknown element type ", elem_type));
  }
  return Value(Unwrap(Tensor::Create(static_cast<DataType>(elem_type), shape)));
}

// Wraps memory the caller owns (IOBinding.bind_input with a raw pointer); the caller keeps it alive.
Value ValueFromPointer(const std::vector<int64_t>& shape, int elem_type, uintptr_t pointer) {
  if (!IsValidDataType(elem_type) || elem_type == 0 || elem_type == static_cast<int>(DataType::kString)) {
    throw StatusError(InvalidArgument("cannot bind a raw pointer of element type ", elem_type));
  }
  for (int64_t d : shape) {
    if (d < 0) throw StatusError(InvalidArgument("negative dim in shape ", ShapeToString(shape)));
  }
  return Value(Tensor::Wrap(static_cast<DataType>(elem_type), shape, reinterpret_cast<void*>(pointer)));
}

}  // namespace

}  // namespace onyx::py

NB_MODULE(_onyx, m) {
  using namespace onyx;
  using namespace onyx::py;
  m.doc() = "Onyx engine bindings; use the `onyx` package rather than this module.";
  RegisterErrors(m);
  BindQuantization(m);
  // Sessions held in module globals are still alive when the interpreter exits; that is not a leak to report.
  nb::set_leak_warnings(false);
  m.attr("version") = ONYX_PY_VERSION;

  nb::class_<PyRunOptions>(m, "RunOptions")
      .def(nb::init<>())
      .def_prop_rw(
          "terminate", [](const PyRunOptions& o) { return o.terminate.load(); },
          [](PyRunOptions& o, bool v) { o.terminate.store(v); })
      .def_rw("log_severity_level", &PyRunOptions::log_severity_level)
      .def_rw("log_verbosity_level", &PyRunOptions::log_verbosity_level)
      .def_rw("logid", &PyRunOptions::logid)
      .def_rw("only_execute_path_to_fetches", &PyRunOptions::only_execute_path_to_fetches)
      .def("add_run_config_entry", [](PyRunOptions& o, const std::string& k, const std::string& v) { o.config[k] = v; })
      .def("get_run_config_entry", [](const PyRunOptions& o, const std::string& k) {
        auto it = o.config.find(k);
        if (it == o.config.end()) throw StatusError(InvalidArgument("run config entry '", k, "' is not set"));
        return it->second;
      });

  nb::class_<Value>(m, "Value")
      .def_static(
          "from_object", [](nb::handle obj) { return ValueFromPy(obj, nullptr, ""); }, nb::arg("obj"))
      .def_static("from_shape_and_type", &ValueFromShapeAndType, nb::arg("shape"), nb::arg("elem_type"))
      .def_static("from_pointer", &ValueFromPointer, nb::arg("shape"), nb::arg("elem_type"), nb::arg("pointer"))
      .def("numpy", [](const Value& v) { return ValueToPy(v, nullptr); })
      .def("copy_to_numpy",
           [](const Value& v) {
             std::unordered_set<const Buffer*> all;
             CollectBuffers(v, &all);
             return ValueToPy(v, &all);
           })
      .def("shape", &ValueShape)
      .def("data_type", &ValueTypeString)
      .def("element_type", [](const Value& v) { return v.is_tensor() ? static_cast<int>(v.tensor().type()) : 0; })
      .def("is_tensor", &Value::is_tensor)
      .def("is_tensor_sequence", &Value::is_sequence)
      .def("is_optional", &Value::is_optional)
      .def("has_value", [](const Value& v) { return !v.empty() && (!v.is_optional() || v.has_element()); })
      .def("data_ptr", [](Value& v) { return v.is_tensor() ? reinterpret_cast<uintptr_t>(v.tensor().raw()) : 0; })
      .def("tensor_size_in_bytes", [](const Value& v) { return v.is_tensor() ? v.tensor().bytes() : 0; });

  nb::class_<Session>(m, "Session")
      .def("inputs", [](const Session& s) { return IoList(s.inputs()); })
      .def("outputs", [](const Session& s) { return IoList(s.outputs()); })
      .def("overridable_initializers", [](const Session& s) { return IoList(s.overridable_initializers()); })
      .def("metadata", &Metadata)
      .def("providers", &Session::provider_names)
      .def("run", &Run, nb::arg("output_names").none(), nb::arg("input_feed"), nb::arg("run_options").none())
      .def("run_values", &RunValues, nb::arg("output_names").none(), nb::arg("input_feed"),
           nb::arg("run_options").none())
      .def("end_profiling",
           [](const Session& s) {
             Result<std::string> written = Status::Ok();
             {
               nb::gil_scoped_release release;
               written = s.EndProfiling();
             }
             return Unwrap(std::move(written));
           })
      .def("profiling_start_time_ns", &Session::profiling_start_time_ns);

  m.def("create_session", &CreateSession, nb::arg("model"), nb::arg("log_level"), nb::arg("intra_threads"),
        nb::arg("execution_mode"), nb::arg("optimization_level"), nb::arg("config"),
        nb::arg("optimized_model_path") = "", nb::arg("disabled_optimizers") = std::vector<std::string>(),
        nb::arg("enable_profiling") = false, nb::arg("profile_file_prefix") = "onyx_profile",
        nb::arg("enable_cpu_mem_arena") = true, nb::arg("enable_mem_pattern") = true);
  m.def("set_default_random_seed", &SetDefaultRandomSeed, nb::arg("seed"));
  m.def("dtype_of", [](int elem_type) { return NumpyDtype(static_cast<DataType>(elem_type)); });
  m.def("elem_type_of", [](nb::handle dtype) { return static_cast<int>(DataTypeOfDtype(dtype)); });
}
