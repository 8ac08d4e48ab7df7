// An outside user of Onyx: only onyx/onyx.hpp from an installed copy, found by find_package(onyx).
//
//   onyx_consumer model.onnx
//
// Feeds every float input with ones (open dims as 1), runs the model and prints each output's name, shape and
// the sum of its elements, so a test can check the numbers. Exits 1 with the error on any failure.
#include <cstdio>
#include <string>
#include <vector>

#include "onyx/onyx.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s model.onnx\n", argv[0]);
    return 2;
  }
  try {
    onyx::Session session(argv[1]);
    std::vector<onyx::Value> inputs;
    for (size_t i = 0; i < session.input_count(); ++i) {
      onyx::TypeInfo type = session.input_type(i);
      if (type.element_type != onyx::ElementType::kFloat)
        throw onyx::Error(ONYX_NOT_IMPLEMENTED, "inputs must be float");
      std::vector<int64_t> shape = type.dims;
      for (int64_t& d : shape) d = d < 0 ? 1 : d;
      onyx::Value value = onyx::Value::Zeros(onyx::ElementType::kFloat, shape);
      for (int64_t k = 0; k < value.element_count(); ++k) value.mutable_data<float>()[k] = 1.0f;
      inputs.push_back(std::move(value));
    }
    std::vector<onyx::Value> outputs = session.Run(session.input_names(), inputs, session.output_names());
    std::vector<std::string> names = session.output_names();
    for (size_t i = 0; i < outputs.size(); ++i) {
      double sum = 0;
      for (float v : outputs[i].to_vector<float>()) sum += v;
      std::printf("%s: shape [", names[i].c_str());
      std::vector<int64_t> shape = outputs[i].shape();
      for (size_t d = 0; d < shape.size(); ++d) std::printf(d ? ",%lld" : "%lld", static_cast<long long>(shape[d]));
      std::printf("], sum %g\n", sum);
    }
  } catch (const onyx::Error& e) {
    std::fprintf(stderr, "onyx_consumer: %s\n", e.what());
    return 1;
  }
  return 0;
}
