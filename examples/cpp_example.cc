// Onyx C++ API example: the same as c_example.c with the header-only wrapper (onyx/onyx.hpp).
//
//   example_cpp [model.onnx [DIM=SIZE ...]]
//
// Loads the model (by default the one bundled under models/), feeds every tensor input with a fixed ramp of
// values (open dims as 1 unless a DIM=SIZE argument names their symbol), runs it, and prints each output's name,
// type, shape and first values.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "onyx/onyx.hpp"

namespace {

// A tensor matching a declared input type, filled with a small repeating ramp so runs are reproducible.
onyx::Value MakeInput(const onyx::TypeInfo& type, const std::map<std::string, int64_t>& dim_sizes) {
  if (type.kind != onyx::ValueKind::kTensor) {
    throw onyx::Error(ONYX_NOT_IMPLEMENTED, "this example feeds tensors only, not " + type.text);
  }
  std::vector<int64_t> shape = type.rank < 0 ? std::vector<int64_t>{1} : type.dims;
  int64_t count = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 0) {
      auto it = i < type.symbolic_dims.size() ? dim_sizes.find(type.symbolic_dims[i]) : dim_sizes.end();
      shape[i] = it == dim_sizes.end() ? 1 : it->second;
    }
    count *= shape[i];
  }
  if (type.element_type == onyx::ElementType::kString) {
    return onyx::Value::Strings(shape, std::vector<std::string>(static_cast<size_t>(count), "onyx"));
  }
  onyx::Value value = onyx::Value::Zeros(type.element_type, shape);
  auto fill = [&](auto* data, auto scale) {
    for (int64_t i = 0; i < count; ++i)
      data[i] = static_cast<std::remove_reference_t<decltype(*data)>>((i % 10) * scale);
  };
  switch (type.element_type) {
    case onyx::ElementType::kFloat:
      fill(value.mutable_data<float>(), 0.1);
      break;
    case onyx::ElementType::kDouble:
      fill(value.mutable_data<double>(), 0.1);
      break;
    case onyx::ElementType::kInt32:
      fill(value.mutable_data<int32_t>(), 1);
      break;
    case onyx::ElementType::kInt64:
      fill(value.mutable_data<int64_t>(), 1);
      break;
    case onyx::ElementType::kInt8:
      fill(value.mutable_data<int8_t>(), 1);
      break;
    case onyx::ElementType::kUint8:
      fill(value.mutable_data<uint8_t>(), 1);
      break;
    default:
      break;  // other types are fed as zeros
  }
  return value;
}

template <typename T>
void PrintValues(const onyx::Value& v, size_t n) {
  const T* data = v.data<T>();
  for (size_t i = 0; i < n; ++i) std::cout << ' ' << +data[i];
}

void PrintOutput(const std::string& name, const onyx::Value& v) {
  if (!v.is_tensor()) {
    std::cout << name << ": a non-tensor value\n";
    return;
  }
  std::vector<int64_t> shape = v.shape();
  std::cout << name << ": " << onyx::ElementTypeName(v.element_type()) << '[';
  for (size_t i = 0; i < shape.size(); ++i) std::cout << (i ? "," : "") << shape[i];
  std::cout << "] =";
  auto count = static_cast<size_t>(v.element_count());
  size_t shown = count < 8 ? count : 8;
  switch (v.element_type()) {
    case onyx::ElementType::kFloat:
      PrintValues<float>(v, shown);
      break;
    case onyx::ElementType::kDouble:
      PrintValues<double>(v, shown);
      break;
    case onyx::ElementType::kInt32:
      PrintValues<int32_t>(v, shown);
      break;
    case onyx::ElementType::kInt64:
      PrintValues<int64_t>(v, shown);
      break;
    case onyx::ElementType::kInt8:
      PrintValues<int8_t>(v, shown);
      break;
    case onyx::ElementType::kUint8:
      PrintValues<uint8_t>(v, shown);
      break;
    case onyx::ElementType::kBool:
      PrintValues<bool>(v, shown);
      break;
    case onyx::ElementType::kString:
      for (size_t i = 0; i < shown; ++i) std::cout << " \"" << v.string_at(i) << '"';
      break;
    default:
      std::cout << " (not printed)";
      break;
  }
  std::cout << (count > shown ? " ...\n" : "\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  std::vector<std::string> dim_args(argv + (argc > 2 ? 2 : argc), argv + argc);
#ifdef ONYX_EXAMPLE_MODEL
  if (argc <= 1) {
    path = ONYX_EXAMPLE_MODEL;
    if (std::string(ONYX_EXAMPLE_DIMS).size() > 0) dim_args.push_back(ONYX_EXAMPLE_DIMS);
  }
#endif
  if (argc > 1) path = argv[1];
  if (path.empty()) {
    std::cerr << "usage: " << argv[0] << " model.onnx [DIM=SIZE ...]\n";
    return 2;
  }
  std::map<std::string, int64_t> dim_sizes;
  for (const std::string& arg : dim_args) {
    size_t eq = arg.find('=');
    char* end = nullptr;
    long long size = eq == std::string::npos ? -1 : std::strtoll(arg.c_str() + eq + 1, &end, 10);
    if (eq == 0 || size < 0 || end == arg.c_str() + eq + 1 || *end != '\0') {
      std::cerr << "error: '" << arg << "' is not DIM=SIZE\n";
      return 2;
    }
    dim_sizes[arg.substr(0, eq)] = size;
  }
  try {
    onyx::SessionOptions options;
    options.SetIntraOpThreads(1);
    onyx::Session session(path, options);
    onyx::ModelMetadata md = session.metadata();
    std::cout << "onyx " << OnyxGetVersionString() << ": loaded " << path << " (graph '" << md.graph_name
              << "', producer '" << md.producer_name << "')\n";

    std::vector<std::string> input_names = session.input_names();
    std::vector<onyx::Value> inputs;
    for (size_t i = 0; i < input_names.size(); ++i) {
      onyx::TypeInfo type = session.input_type(i);
      std::cout << "input " << input_names[i] << ": " << type.text << '\n';
      inputs.push_back(MakeInput(type, dim_sizes));
    }
    std::vector<onyx::Value> outputs = session.Run(input_names, inputs);  // every output, in graph order
    std::vector<std::string> output_names = session.output_names();
    for (size_t i = 0; i < outputs.size(); ++i) PrintOutput(output_names[i], outputs[i]);
  } catch (const onyx::Error& e) {
    std::cerr << "error: [" << e.code_name() << "] " << e.what() << '\n';
    return 1;
  }
  return 0;
}
