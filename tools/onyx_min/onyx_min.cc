// onyx-min: the small `onyx run`-like program of the minimal build (cmake -DONYX_MINIMAL=ON, docs/EDGE.md). It loads
// a model, runs it on the inputs of a test-data folder (input_N.pb) and, when the folder has them, compares the
// outputs with output_N.pb; with --repeat N it runs N times and prints the mean time. Linked statically, it is what
// the size figures of docs/EDGE.md measure.
//
// usage: onyx-min MODEL DATA_DIR [--repeat N] [--atol A] [--rtol R]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "format/tensor_proto.h"
#include "framework/value_compare.h"
#include "session/session.h"

namespace {

namespace fs = std::filesystem;

int Fail(const std::string& message) {
  std::fprintf(stderr, "onyx-min: error: %s\n", message.c_str());
  return 2;
}

std::vector<fs::path> Files(const fs::path& dir, const std::string& prefix) {
  std::vector<fs::path> out;
  for (int k = 0;; ++k) {
    fs::path p = dir / (prefix + std::to_string(k) + ".pb");
    if (!fs::exists(p)) break;
    out.push_back(p);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: onyx-min MODEL DATA_DIR [--repeat N] [--atol A] [--rtol R]\n");
    return 2;
  }
  const std::string model = argv[1];
  const fs::path data = argv[2];
  long repeat = 1;
  onyx::CompareOptions compare;
  compare.atol = 1e-4;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    char* end = nullptr;
    const double v = std::strtod(argv[i + 1], &end);
    if (end == argv[i + 1] || *end != '\0') return Fail("'" + flag + "' needs a number, got '" + argv[i + 1] + "'");
    if (flag == "--repeat" && v >= 1) {
      repeat = static_cast<long>(v);
    } else if (flag == "--atol") {
      compare.atol = v;
    } else if (flag == "--rtol") {
      compare.rtol = v;
    } else {
      return Fail("unknown flag or bad value: " + flag + " " + argv[i + 1]);
    }
  }
  onyx::SessionOptions options;
  options.intra_op_threads = 1;
  auto created = onyx::Session::Create(model, options);
  if (!created.ok()) return Fail("cannot create session: " + created.status().message());
  std::unique_ptr<onyx::Session> session = created.take();
  const std::vector<onyx::IoInfo>& inputs = session->inputs();
  const std::vector<onyx::IoInfo>& outputs = session->outputs();

  std::vector<fs::path> input_files = Files(data, "input_"), output_files = Files(data, "output_");
  if (input_files.size() != inputs.size()) {
    return Fail(std::to_string(input_files.size()) + " input files in " + data.string() + " but the model has " +
                std::to_string(inputs.size()) + " inputs");
  }
  std::vector<std::pair<std::string, onyx::Value>> feeds;
  for (size_t k = 0; k < input_files.size(); ++k) {
    auto v = onyx::format::ReadValueFile(input_files[k].string(), inputs[k].type);
    if (!v.ok()) return Fail("cannot read " + input_files[k].string() + ": " + v.status().message());
    feeds.emplace_back(inputs[k].name, v.take());
  }
  std::vector<onyx::Value> actual;
  double total_ms = 0;
  for (long r = 0; r < repeat; ++r) {
    actual.clear();
    const auto begin = std::chrono::steady_clock::now();
    onyx::Status s = session->Run(feeds, {}, &actual, {});
    total_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
    if (!s.ok()) return Fail("run failed: " + s.message());
  }
  int mismatches = 0;
  for (size_t k = 0; k < std::min(output_files.size(), actual.size()); ++k) {
    auto expected = onyx::format::ReadValueFile(output_files[k].string(), outputs[k].type);
    if (!expected.ok()) return Fail("cannot read " + output_files[k].string() + ": " + expected.status().message());
    const std::string diff = onyx::CompareValues(expected.value(), actual[k], compare);
    if (!diff.empty()) {
      std::printf("output '%s': %s\n", outputs[k].name.c_str(), diff.c_str());
      ++mismatches;
    }
  }
  std::printf("%s: %zu outputs, %zu compared, %d mismatches, %.3f ms per run\n", model.c_str(), actual.size(),
              std::min(output_files.size(), actual.size()), mismatches, total_ms / static_cast<double>(repeat));
  return mismatches == 0 ? 0 : 1;
}
