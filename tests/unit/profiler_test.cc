// The session profiler: one node event per node run (subgraph nodes included and marked), session events, the
// parallel execution mode and concurrent runs, the trace file, and the C API's profiling calls. The trace's JSON
// is parsed by the Python and command tests (tests/python/test_profiling.py, tests/cli/test_bench_profile.py).
#include "common/profiler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "onyx/onyx_c_api.h"
#include "session/session.h"
#include "unit/test_models.h"

namespace onyx {
namespace {

namespace fs = std::filesystem;

std::string TempPath(const std::string& name) {
  return (fs::temp_directory_path() / ("onyx_profiler_test_" + std::to_string(getpid()) + "_" + name)).string();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t CountOf(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

std::unique_ptr<Session> MakeSession(const proto::ModelProto& m, SessionOptions options) {
  std::string bytes = test::Serialize(m);
  auto s = Session::CreateFromBytes(bytes.data(), bytes.size(), options);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? s.take() : nullptr;
}

std::vector<const ProfileEvent*> NodeEvents(const std::vector<ProfileEvent>& events) {
  std::vector<const ProfileEvent*> out;
  for (const ProfileEvent& e : events) {
    if (e.category == ProfileEvent::Category::kNode) out.push_back(&e);
  }
  return out;
}

size_t SessionEventCount(const std::vector<ProfileEvent>& events, const std::string& name) {
  return static_cast<size_t>(std::count_if(events.begin(), events.end(), [&](const ProfileEvent& e) {
    return e.category == ProfileEvent::Category::kSession && e.Name() == name;
  }));
}

Value FourFloats() { return Value(Tensor::FromVector<float>({1, 4}, {1, -2, 3, -4})); }

// A chain of `n` Relu nodes on X float[1,4].
proto::ModelProto ReluChain(int n) {
  proto::ModelProto m = test::AddReluModel();
  auto* g = m.mutable_graph();
  g->clear_node();
  g->clear_initializer();
  g->clear_output();
  std::string prev = "X";
  for (int i = 0; i < n; ++i) {
    std::string out = "r" + std::to_string(i);
    test::AddNode(g, "Relu", {prev}, {out}, "relu_" + std::to_string(i));
    prev = out;
  }
  test::SetTensorType(g->add_output(), prev, 1, {-1, 4});
  return m;
}

SessionOptions Profiling(const std::string& file) {
  SessionOptions options;
  options.enable_profiling = true;
  options.profile_file = file;
  options.optimization_level = OptimizationLevel::kDisabled;  // node counts as written
  options.intra_op_threads = 1;
  return options;
}

TEST(Profiler, OffByDefault) {
  auto s = MakeSession(test::AddReluModel(), {});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->profiler(), nullptr);
  EXPECT_EQ(s->profiling_start_time_ns(), 0);
  auto ended = s->EndProfiling();
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(ended.value(), "");
}

TEST(Profiler, OneNodeEventPerNodeAndRun) {
  const std::string file = TempPath("chain.json");
  auto s = MakeSession(ReluChain(5), Profiling(file));
  ASSERT_TRUE(s);
  ASSERT_NE(s->profiler(), nullptr);
  EXPECT_GT(s->profiling_start_time_ns(), 0);
  for (int i = 0; i < 3; ++i) {
    std::vector<Value> out;
    ASSERT_TRUE(s->Run({{"X", FourFloats()}}, {}, &out).ok());
  }
  const std::vector<ProfileEvent> events = s->profiler()->Events();
  const auto nodes = NodeEvents(events);
  EXPECT_EQ(nodes.size(), 15u);
  EXPECT_EQ(SessionEventCount(events, "model_run"), 3u);
  for (const char* name : {"model_loading_array", "graph_validation_and_shape_inference", "graph_optimization",
                           "graph_partitioning", "session_planning", "session_initialization"}) {
    EXPECT_EQ(SessionEventCount(events, name), 1u) << name;
  }
  for (const ProfileEvent* e : nodes) {
    EXPECT_EQ(e->OpType(), "Relu");
    EXPECT_EQ(e->Depth(), 0);
    EXPECT_GE(e->duration_ns, 0);
    EXPECT_NE(e->ArgsJson().find("\"input_type_shape\":[{\"float\":[1,4]}]"), std::string::npos) << e->ArgsJson();
    EXPECT_NE(e->ArgsJson().find("\"output_type_shape\":[{\"float\":[1,4]}]"), std::string::npos) << e->ArgsJson();
    EXPECT_NE(e->ArgsJson().find("\"provider\":\"CPUExecutionProvider\""), std::string::npos) << e->ArgsJson();
    EXPECT_NE(e->ArgsJson().find("\"thread_count\":1"), std::string::npos) << e->ArgsJson();
  }
  EXPECT_EQ(nodes[0]->Name(), "relu_0_kernel_time");
  // Runs' node events lie inside their model_run event.
  for (const ProfileEvent& run : events) {
    if (run.Name() != "model_run") continue;
    size_t inside = 0;
    for (const ProfileEvent* e : nodes) {
      if (e->start_ns >= run.start_ns && e->start_ns + e->duration_ns <= run.start_ns + run.duration_ns) ++inside;
    }
    EXPECT_EQ(inside, 5u);
  }

  auto ended = s->EndProfiling();
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  EXPECT_EQ(ended.value(), file);
  const std::string text = ReadFile(file);
  EXPECT_EQ(text.rfind("{\"traceEvents\":[", 0), 0u);
  EXPECT_EQ(CountOf(text, "\"cat\":\"Node\""), 15u);
  EXPECT_EQ(CountOf(text, "\"name\":\"model_run\""), 3u);
  EXPECT_NE(text.find("\"displayTimeUnit\":\"ms\""), std::string::npos);
  // Ended: no more events, a second end writes nothing, and the session still runs.
  EXPECT_EQ(s->profiler(), nullptr);
  std::vector<Value> out;
  ASSERT_TRUE(s->Run({{"X", FourFloats()}}, {}, &out).ok());
  auto again = s->EndProfiling();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value(), "");
  EXPECT_EQ(CountOf(ReadFile(file), "\"cat\":\"Node\""), 15u);
  fs::remove(file);
}

TEST(Profiler, WrittenWhenTheSessionIsDestroyed) {
  const std::string file = TempPath("destroyed.json");
  {
    auto s = MakeSession(ReluChain(2), Profiling(file));
    ASSERT_TRUE(s);
    std::vector<Value> out;
    ASSERT_TRUE(s->Run({{"X", FourFloats()}}, {}, &out).ok());
  }
  EXPECT_EQ(CountOf(ReadFile(file), "\"cat\":\"Node\""), 2u);
  fs::remove(file);
}

TEST(Profiler, UnwritableFileFailsSessionCreation) {
  SessionOptions options = Profiling("/nonexistent-dir/sub/trace.json");
  std::string bytes = test::Serialize(ReluChain(1));
  auto s = Session::CreateFromBytes(bytes.data(), bytes.size(), options);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("cannot write the profile file '/nonexistent-dir/sub/trace.json'"),
            std::string::npos)
      << s.status().message();
}

TEST(Profiler, NoFileIsLeftWhenTheModelDoesNotLoad) {
  const std::string file = TempPath("bad_model.json");
  const std::string garbage = "not a model";
  auto s = Session::CreateFromBytes(garbage.data(), garbage.size(), Profiling(file));
  ASSERT_FALSE(s.ok());
  EXPECT_FALSE(fs::exists(file));
}

TEST(Profiler, SubgraphNodesAreMarked) {
  proto::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(17);
  auto* g = m.mutable_graph();
  g->set_name("main");
  test::SetTensorType(g->add_input(), "cond", 9, {});
  test::SetTensorType(g->add_input(), "X", 1, {2});
  test::SetTensorType(g->add_output(), "Y", 1, {2});
  auto* node = test::AddNode(g, "If", {"cond"}, {"Y"}, "the_if");
  for (const char* branch : {"then_branch", "else_branch"}) {
    auto* a = node->add_attribute();
    a->set_name(branch);
    a->set_type(proto::AttributeProto::GRAPH);
    auto* b = a->mutable_g();
    b->set_name(branch);
    // then: two nodes; else: one.
    const std::string out = std::string(branch) + "_out";
    if (std::string(branch) == "then_branch") {
      test::AddNode(b, "Add", {"X", "X"}, {"t0"});
      test::AddNode(b, "Neg", {"t0"}, {out});
    } else {
      test::AddNode(b, "Mul", {"X", "X"}, {out});
    }
    test::SetTensorType(b->add_output(), out, 1, {2});
  }
  const std::string file = TempPath("if.json");
  auto s = MakeSession(m, Profiling(file));
  ASSERT_TRUE(s);
  for (bool c : {true, false, true}) {
    std::vector<Value> out;
    ASSERT_TRUE(s->Run({{"cond", Value(Tensor::Scalar<bool>(c))}, {"X", Value(Tensor::FromVector<float>({2}, {3, 4}))}},
                       {}, &out)
                    .ok());
  }
  const auto events = s->profiler()->Events();
  const auto nodes = NodeEvents(events);
  // 3 If events, then-branch twice (2 nodes), else-branch once (1 node).
  ASSERT_EQ(nodes.size(), 3u + 2 * 2 + 1);
  size_t in_subgraph = 0;
  for (const ProfileEvent* e : nodes) {
    if (e->OpType() == "If") {
      EXPECT_EQ(e->Depth(), 0);
      EXPECT_EQ(e->ArgsJson().find("\"subgraph\""), std::string::npos);
      continue;
    }
    ++in_subgraph;
    EXPECT_EQ(e->Depth(), 1);
    EXPECT_NE(e->ArgsJson().find("\"subgraph\":true,\"parent_node\":\"the_if\",\"parent_op\":\"If\""),
              std::string::npos)
        << e->ArgsJson();
    // Each lies within an If event on the same thread.
    bool inside = std::any_of(nodes.begin(), nodes.end(), [&](const ProfileEvent* p) {
      return p->OpType() == "If" && p->tid == e->tid && p->start_ns <= e->start_ns &&
             e->start_ns + e->duration_ns <= p->start_ns + p->duration_ns;
    });
    EXPECT_TRUE(inside) << e->Name();
  }
  EXPECT_EQ(in_subgraph, 5u);
  ASSERT_TRUE(s->EndProfiling().ok());
  fs::remove(file);
}

TEST(Profiler, ParallelModeAndConcurrentRuns) {
  // Four independent Relu chains joined by Sum: the parallel mode runs them on several threads.
  proto::ModelProto m = test::AddReluModel();
  auto* g = m.mutable_graph();
  g->clear_node();
  g->clear_initializer();
  g->clear_output();
  std::vector<std::string> ends;
  for (int b = 0; b < 4; ++b) {
    std::string prev = "X";
    for (int i = 0; i < 3; ++i) {
      std::string out = "b" + std::to_string(b) + "_" + std::to_string(i);
      test::AddNode(g, i % 2 ? "Relu" : "Sigmoid", {prev}, {out});
      prev = out;
    }
    ends.push_back(prev);
  }
  test::AddNode(g, "Sum", ends, {"Total"});
  test::SetTensorType(g->add_output(), "Total", 1, {-1, 4});
  constexpr size_t kNodes = 13;

  const std::string file = TempPath("parallel.json");
  SessionOptions options = Profiling(file);
  options.execution_mode = ExecutionMode::kParallel;
  options.inter_op_threads = 3;
  auto s = MakeSession(m, options);
  ASSERT_TRUE(s);
  constexpr int kThreads = 3, kRuns = 20;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRuns; ++i) {
        std::vector<Value> out;
        if (!s->Run({{"X", FourFloats()}}, {}, &out).ok()) ++failures[static_cast<size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
  const auto events = s->profiler()->Events();
  EXPECT_EQ(SessionEventCount(events, "model_run"), static_cast<size_t>(kThreads * kRuns));
  const auto nodes = NodeEvents(events);
  EXPECT_EQ(nodes.size(), kNodes * kThreads * kRuns);
  std::set<int> tids;
  for (const ProfileEvent* e : nodes) tids.insert(e->tid);
  EXPECT_GE(tids.size(), 2u);  // at least the callers' threads
  auto ended = s->EndProfiling();
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(CountOf(ReadFile(file), "\"cat\":\"Node\""), kNodes * kThreads * kRuns);
  fs::remove(file);
}

TEST(Profiler, JsonStringsAreEscaped) {
  std::string out;
  Profiler::AppendJsonString(&out, std::string("a\"b\\c\nd\x01", 8));
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\u0001\"");
}

TEST(Profiler, PathForPrefixFollowsOnnxRuntime) {
  const std::string p = Profiler::PathForPrefix("dir/prefix");
  ASSERT_GT(p.size(), 16u);
  EXPECT_EQ(p.rfind("dir/prefix_", 0), 0u);
  EXPECT_EQ(p.substr(p.size() - 5), ".json");
}

TEST(Profiler, CApi) {
  std::string bytes = test::Serialize(ReluChain(3));
  OnyxSessionOptions* options = nullptr;
  ASSERT_EQ(OnyxCreateSessionOptions(&options), nullptr);
  OnyxStatus* st = OnyxSessionOptionsEnableProfiling(options, "");
  ASSERT_NE(st, nullptr);
  EXPECT_EQ(OnyxStatusGetCode(st), ONYX_INVALID_ARGUMENT);
  OnyxReleaseStatus(st);
  st = OnyxSessionOptionsEnableProfiling(nullptr, "x");
  ASSERT_NE(st, nullptr);
  OnyxReleaseStatus(st);
  const std::string prefix = TempPath("capi");
  ASSERT_EQ(OnyxSessionOptionsEnableProfiling(options, prefix.c_str()), nullptr);
  OnyxSession* session = nullptr;
  ASSERT_EQ(OnyxCreateSessionFromBytes(bytes.data(), bytes.size(), options, &session), nullptr);
  OnyxReleaseSessionOptions(options);
  uint64_t start = 0;
  ASSERT_EQ(OnyxSessionGetProfilingStartTimeNs(session, &start), nullptr);
  EXPECT_GT(start, 0u);
  const char* path = nullptr;
  ASSERT_EQ(OnyxSessionEndProfiling(session, &path), nullptr);
  ASSERT_NE(path, nullptr);
  const std::string first = path;
  EXPECT_EQ(first.rfind(prefix + "_", 0), 0u) << first;
  EXPECT_TRUE(fs::exists(first));
  const char* again = nullptr;
  ASSERT_EQ(OnyxSessionEndProfiling(session, &again), nullptr);
  EXPECT_STREQ(again, "");
  EXPECT_EQ(std::string(path), first);  // the first name stays valid
  st = OnyxSessionEndProfiling(session, nullptr);
  ASSERT_NE(st, nullptr);
  OnyxReleaseStatus(st);
  OnyxReleaseSession(session);
  fs::remove(first);
}

}  // namespace
}  // namespace onyx
