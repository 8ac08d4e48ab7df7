// Eight threads running one session of a real model at once, every output bit-identical to the single-threaded
// run of the same data set: the C++ form of check 2 of tests/soak/soak.py, for `make tsan` (ThreadSanitizer
// cannot watch the Python soak, whose interpreter is not instrumented) and `make asan`. It needs the real
// models: it runs when ONYX_SOAK_MODELS names their folder (scripts/run_sanitized sets it) and is skipped,
// saying so, otherwise. ONYX_SOAK_RUNS sets the runs per thread (default 20).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "format/tensor_proto.h"
#include "framework/value_compare.h"
#include "session/session.h"

namespace onyx {
namespace {

namespace fs = std::filesystem;

struct DataSet {
  std::vector<std::pair<std::string, Value>> feeds;
  std::vector<Value> reference;
};

void SoakModel(const fs::path& dir, ExecutionMode mode, int runs_per_thread) {
  SessionOptions options;
  options.intra_op_threads = 2;
  options.execution_mode = mode;
  options.inter_op_threads = 2;
  auto created = Session::Create((dir / "model.onnx").string(), options);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const Session& s = *created.value();
  std::vector<DataSet> sets;
  for (int k = 0; fs::exists(dir / ("test_data_set_" + std::to_string(k))); ++k) {
    DataSet ds;
    fs::path set_dir = dir / ("test_data_set_" + std::to_string(k));
    for (size_t i = 0; i < s.inputs().size(); ++i) {
      auto v = format::ReadValueFile((set_dir / ("input_" + std::to_string(i) + ".pb")).string(), s.inputs()[i].type);
      ASSERT_TRUE(v.ok()) << v.status().ToString();
      ds.feeds.emplace_back(s.inputs()[i].name, v.take());
    }
    Status st = s.Run(ds.feeds, {}, &ds.reference);
    ASSERT_TRUE(st.ok()) << st.ToString();
    sets.push_back(std::move(ds));
  }
  ASSERT_FALSE(sets.empty());
  constexpr int kThreads = 8;
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int it = 0; it < runs_per_thread && errors[t].empty(); ++it) {
        const DataSet& ds = sets[static_cast<size_t>(t + it) % sets.size()];
        std::vector<Value> out;
        Status st = s.Run(ds.feeds, {}, &out);
        if (!st.ok()) {
          errors[t] = st.ToString();
          break;
        }
        for (size_t k = 0; k < out.size() && errors[t].empty(); ++k) {
          errors[t] = CompareValues(ds.reference[k], out[k], {0, 0});
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(errors[t], "") << dir << " thread " << t;
}

TEST(SoakThreads, EightThreadsOneSessionRealModels) {
  const char* models = std::getenv("ONYX_SOAK_MODELS");
  if (models == nullptr || *models == '\0') GTEST_SKIP() << "ONYX_SOAK_MODELS is not set (scripts/run_sanitized sets it)";
  const char* runs_env = std::getenv("ONYX_SOAK_RUNS");
  const int runs = runs_env != nullptr ? std::atoi(runs_env) : 20;
  for (const char* name : {"squeezenet", "silero_vad", "paraphrase_minilm_l3"}) {
    fs::path dir = fs::path(models) / name;
    if (!fs::exists(dir / "model.onnx")) continue;
    for (ExecutionMode mode : {ExecutionMode::kSequential, ExecutionMode::kParallel}) {
      SCOPED_TRACE(std::string(name) + (mode == ExecutionMode::kParallel ? " parallel" : " sequential"));
      SoakModel(dir, mode, runs);
    }
  }
}

}  // namespace
}  // namespace onyx
