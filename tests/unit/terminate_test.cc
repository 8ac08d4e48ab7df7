// RunOptions::terminate set from another thread while a run is in flight, in each execution mode, with other runs
// of the same session going on and (with profiling) the trace ended meanwhile. The run must stop with an error
// and leave the session usable; runs that were not told to stop must be unaffected. These are the cancellation
// paths `make tsan` watches: the Python soak's cancel check does the same, but ThreadSanitizer cannot see through
// the interpreter.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "session/session.h"
#include "unit/loop_bodies.h"

namespace onyx {
namespace {

using test::CountingBody;
using test::Scalar;
using test::Vec;

// (M, y) -> (Loop of M iterations adding 1 to y, Relu(y), Neg(y)): the Loop is as long as M makes it, and the
// parallel mode runs the other two branches beside it.
std::unique_ptr<Session> LoopSession(SessionOptions options) {
  auto model = std::make_unique<ir::Model>();
  model->metadata.ir_version = 10;
  model->metadata.opsets[""] = 16;
  model->graph = std::make_shared<ir::Graph>();
  ir::Graph& g = *model->graph;
  g.set_name("terminate");
  g.set_opsets(std::make_shared<ir::OpsetMap>(model->metadata.opsets));
  EXPECT_TRUE(g.AddInput("M", Scalar(DataType::kInt64)).ok());
  EXPECT_TRUE(g.AddInput("y", Vec(DataType::kFloat, 1)).ok());
  EXPECT_TRUE(g.AddInitializer("cond", Tensor::Scalar<bool>(true)).ok());
  ir::Attribute body;
  body.name = "body";
  body.type = ir::AttrType::kGraph;
  body.g = CountingBody(/*scan_output=*/false);
  g.AddNode("loop", "Loop", "", 16, {"M", "cond", "y"}, {"y_final"}, {{"body", body}});
  g.AddNode("relu", "Relu", "", 14, {"y"}, {"r"}, {});
  g.AddNode("neg", "Neg", "", 13, {"y"}, {"n"}, {});
  EXPECT_TRUE(g.AddOutput("y_final", ir::Type()).ok());
  EXPECT_TRUE(g.AddOutput("r", ir::Type()).ok());
  EXPECT_TRUE(g.AddOutput("n", ir::Type()).ok());
  auto s = Session::CreateFromModel(std::move(model), options);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? s.take() : nullptr;
}

std::vector<std::pair<std::string, Value>> Feeds(int64_t trips, float y) {
  return {{"M", Value(Tensor::Scalar<int64_t>(trips))}, {"y", Value(Tensor::FromVector<float>({1}, {y}))}};
}

// Runs `session` with trip count `trips` from y = 2 and checks the three outputs; "" when they are right.
std::string CheckedRun(const Session& session, int64_t trips) {
  std::vector<Value> out;
  Status st = session.Run(Feeds(trips, 2.0f), {}, &out);
  if (!st.ok()) return st.ToString();
  if (out.size() != 3) return "expected 3 outputs, got " + std::to_string(out.size());
  const float got[3] = {out[0].tensor().data<float>()[0], out[1].tensor().data<float>()[0],
                        out[2].tensor().data<float>()[0]};
  const float want[3] = {2.0f + static_cast<float>(trips), 2.0f, -2.0f};
  for (int i = 0; i < 3; ++i) {
    if (got[i] != want[i]) return "output " + std::to_string(i) + " is " + std::to_string(got[i]);
  }
  return "";
}

enum class Variant { kSequential, kParallel, kParallelProfiled };

void TerminateInFlight(Variant variant) {
  SessionOptions options;
  options.intra_op_threads = 2;
  options.optimization_level = OptimizationLevel::kDisabled;  // keep the Relu and Neg branches as written
  if (variant != Variant::kSequential) {
    options.execution_mode = ExecutionMode::kParallel;
    options.inter_op_threads = 3;
  }
  const std::string trace =
      (std::filesystem::temp_directory_path() / ("onyx_terminate_test_" + std::to_string(getpid()) + ".json")).string();
  if (variant == Variant::kParallelProfiled) {
    options.enable_profiling = true;
    options.profile_file = trace;
  }
  std::unique_ptr<Session> session = LoopSession(options);
  ASSERT_NE(session, nullptr);
  ASSERT_EQ(CheckedRun(*session, 5), "");

  // A loop of 2^62 iterations ends only when told to stop.
  std::atomic<bool> stop{false}, started{false};
  std::promise<Status> result;
  std::future<Status> finished = result.get_future();
  std::thread long_run([&] {
    RunOptions run_options;
    run_options.terminate = &stop;
    std::vector<Value> out;
    started.store(true);
    result.set_value(session->Run(Feeds(int64_t{1} << 62, 0.0f), {}, &out, run_options));
  });
  // Meanwhile other threads run the same session to completion, untouched by the flag of the long run.
  std::vector<std::string> errors(2);
  std::vector<std::thread> others;
  for (size_t t = 0; t < errors.size(); ++t) {
    others.emplace_back([&, t] {
      for (int i = 0; i < 20 && errors[t].empty(); ++i) errors[t] = CheckedRun(*session, 50 + i);
    });
  }
  while (!started.load()) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (variant == Variant::kParallelProfiled) {
    // Ending the trace while runs are in flight: their later events are dropped, nothing else changes.
    auto ended = session->EndProfiling();
    ASSERT_TRUE(ended.ok()) << ended.status().ToString();
    EXPECT_EQ(ended.value(), trace);
  }
  EXPECT_EQ(finished.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout)
      << "the 2^62-iteration run ended before it was told to stop";
  stop.store(true);
  for (auto& th : others) th.join();
  if (finished.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    // The flag was not seen: the run would go on for ever. Leave it running on a session that is never freed,
    // so that the failure is reported instead of hanging the suite.
    long_run.detach();
    (void)session.release();
    FAIL() << "the run did not stop within 60 s of RunOptions::terminate";
  }
  long_run.join();
  const Status st = finished.get();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("run was terminated by the caller"), std::string::npos) << st.message();
  for (const std::string& e : errors) EXPECT_EQ(e, "");
  // The session is as usable as before.
  EXPECT_EQ(CheckedRun(*session, 7), "");
  if (variant == Variant::kParallelProfiled) {
    EXPECT_EQ(session->profiler(), nullptr);
    std::filesystem::remove(trace);
  }
}

TEST(Session, TerminateStopsARunInFlightSequential) { TerminateInFlight(Variant::kSequential); }
TEST(Session, TerminateStopsARunInFlightParallel) { TerminateInFlight(Variant::kParallel); }
TEST(Session, TerminateStopsARunInFlightWhileTheTraceEnds) { TerminateInFlight(Variant::kParallelProfiled); }

}  // namespace
}  // namespace onyx
