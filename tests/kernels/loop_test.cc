#include <atomic>
#include <chrono>
#include <thread>

#include "kernels/op_test.h"
#include "session/session.h"
#include "unit/loop_bodies.h"

namespace onyx::test {
namespace {

// (iter, cond_in, y_in) -> (iter < 2, y_in + 1): stops itself after three iterations.
std::shared_ptr<ir::Graph> WhileBody() {
  auto g = std::make_shared<ir::Graph>();
  g->set_name("while_body");
  EXPECT_TRUE(g->AddInput("iter", Scalar(DataType::kInt64)).ok());
  EXPECT_TRUE(g->AddInput("cond_in", Scalar(DataType::kBool)).ok());
  EXPECT_TRUE(g->AddInput("y_in", Scalar(DataType::kFloat)).ok());
  EXPECT_TRUE(g->AddInitializer("one", Tensor::Scalar<float>(1)).ok());
  EXPECT_TRUE(g->AddInitializer("limit", Tensor::Scalar<int64_t>(2)).ok());
  g->AddNode("l", "Less", "", 13, {"iter", "limit"}, {"cond_out"}, {});
  g->AddNode("a", "Add", "", 14, {"y_in", "one"}, {"y_out"}, {});
  EXPECT_TRUE(g->AddOutput("cond_out", Scalar(DataType::kBool)).ok());
  EXPECT_TRUE(g->AddOutput("y_out", Scalar(DataType::kFloat)).ok());
  return g;
}

// A session of one Loop node (M, cond, y) -> (y_final, scan) over CountingBody, with session.max_tensor_bytes.
std::unique_ptr<Session> CountingLoopSession(const std::string& max_tensor_bytes) {
  auto model = std::make_unique<ir::Model>();
  model->metadata.ir_version = 10;
  model->metadata.opsets[""] = 16;
  model->graph = std::make_shared<ir::Graph>();
  ir::Graph& g = *model->graph;
  g.set_name("loop_limit");
  g.set_opsets(std::make_shared<ir::OpsetMap>(model->metadata.opsets));
  EXPECT_TRUE(g.AddInput("M", Scalar(DataType::kInt64)).ok());
  EXPECT_TRUE(g.AddInput("cond", Scalar(DataType::kBool)).ok());
  EXPECT_TRUE(g.AddInput("y", Vec(DataType::kFloat, 1)).ok());
  ir::Attribute body;
  body.name = "body";
  body.type = ir::AttrType::kGraph;
  body.g = CountingBody(/*scan_output=*/true);
  g.AddNode("loop", "Loop", "", 16, {"M", "cond", "y"}, {"y_final", "scan"}, {{"body", body}});
  EXPECT_TRUE(g.AddOutput("y_final", ir::Type()).ok());
  EXPECT_TRUE(g.AddOutput("scan", ir::Type()).ok());
  SessionOptions options;
  options.intra_op_threads = 1;
  options.config["session.max_tensor_bytes"] = max_tensor_bytes;
  auto s = Session::CreateFromModel(std::move(model), options);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? s.take() : nullptr;
}

}  // namespace

// A trip count is an input: a Loop told to run 2^62 times used to keep every iteration's scan output until the
// end, taking memory without bound before the stacked output was refused. The stack is held to
// session.max_tensor_bytes as it grows, so the run fails at the limit, naming it. (A watchdog stops the run
// after 20 s, so the unfixed engine fails the test instead of hanging.)
TEST(Loop, ScanOutputsAreHeldToTheTensorLimitAsTheyGrow) {
  auto session = CountingLoopSession("4096");
  ASSERT_NE(session, nullptr);
  std::vector<std::pair<std::string, Value>> feeds = {{"M", Value(Tensor::Scalar<int64_t>(int64_t{1} << 62))},
                                                      {"cond", Value(Tensor::Scalar<bool>(true))},
                                                      {"y", Value(Tensor::FromVector<float>({1}, {0}))}};
  std::atomic<bool> stop{false}, done{false};
  std::thread watchdog([&] {
    for (int i = 0; i < 2000 && !done.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    stop.store(true);
  });
  RunOptions run_options;
  run_options.terminate = &stop;
  std::vector<Value> out;
  Status st = session->Run(feeds, {}, &out, run_options);
  done.store(true);
  watchdog.join();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("scan output 0 stacks 1025 iterations of float[1], over the limit of 4096 bytes "
                              "(session.max_tensor_bytes)"),
            std::string::npos)
      << st.message();
  // Within the limit the same session runs, and the stacked values are each iteration's.
  feeds[0].second = Value(Tensor::Scalar<int64_t>(1024));
  ASSERT_TRUE(session->Run(feeds, {}, &out, RunOptions{}).ok());
  ASSERT_EQ(out.at(1).tensor().shape(), (Shape{1024, 1}));
  const float* scan = out[1].tensor().data<float>();
  for (int i = 0; i < 1024; ++i) ASSERT_EQ(scan[i], static_cast<float>(i + 1)) << i;
}

TEST(Loop, CountedWithScanOutput) {
  OpTest t("Loop", 11);
  t.AddInput<int64_t>("M", {}, {3});
  t.AddInput<bool>("cond", {}, {true});
  t.AddInput<float>("y", {1}, {1});
  t.AddAttr("body", CountingBody(/*scan_output=*/true));
  t.AddOutput<float>("y_final", {1}, {4});
  t.AddOutput<float>("scan", {3, 1}, {2, 3, 4});
  t.Run();
}

TEST(Loop, WhileLoopStopsOnBodyCondition) {
  OpTest t("Loop", 13);
  t.AddMissingInput();
  t.AddInput<bool>("cond", {}, {true});
  t.AddInput<float>("y", {}, {0});
  t.AddAttr("body", WhileBody());
  t.AddOutput<float>("y_final", {}, {3});
  t.Run();
}

TEST(Loop, NoInputsHonoursBodyCondition) {
  OpTest t("Loop", 1);
  t.AddMissingInput();
  t.AddMissingInput();
  t.AddInput<float>("y", {}, {0});
  t.AddAttr("body", WhileBody());
  t.AddOutput<float>("y_final", {}, {3});
  t.Run();
}

TEST(Loop, TripCountWithoutConditionIgnoresBodyCondition) {
  OpTest t("Loop", 16);
  t.AddInput<int64_t>("M", {}, {10});
  t.AddMissingInput();
  t.AddInput<float>("y", {}, {0});
  t.AddAttr("body", WhileBody());
  t.AddOutput<float>("y_final", {}, {10});
  t.Run();
}

TEST(Loop, ZeroIterations) {
  OpTest t("Loop", 11);
  t.AddInput<int64_t>("M", {}, {0});
  t.AddInput<bool>("cond", {}, {true});
  t.AddInput<float>("y", {1}, {5});
  t.AddAttr("body", CountingBody(/*scan_output=*/true));
  t.AddOutput<float>("y_final", {1}, {5});
  t.AddOutput<float>("scan", {0, 1}, {});
  t.Run();
  OpTest u("Loop", 11);
  u.AddInput<int64_t>("M", {}, {4});
  u.AddInput<bool>("cond", {}, {false});
  u.AddInput<float>("y", {1}, {5});
  u.AddAttr("body", CountingBody(/*scan_output=*/true));
  u.AddOutput<float>("y_final", {1}, {5});
  u.AddOutput<float>("scan", {0, 1}, {});
  u.Run();
}

TEST(Loop, SequenceCarried) {
  auto g = std::make_shared<ir::Graph>();
  g->set_name("seq_body");
  ASSERT_TRUE(g->AddInput("iter", Scalar(DataType::kInt64)).ok());
  ASSERT_TRUE(g->AddInput("cond_in", Scalar(DataType::kBool)).ok());
  ASSERT_TRUE(g->AddInput("seq_in", ir::Type()).ok());
  g->AddNode("c", "Identity", "", 16, {"cond_in"}, {"cond_out"}, {});
  g->AddNode("i", "SequenceInsert", "", 11, {"seq_in", "iter"}, {"seq_out"}, {});
  ASSERT_TRUE(g->AddOutput("cond_out", Scalar(DataType::kBool)).ok());
  ASSERT_TRUE(g->AddOutput("seq_out", ir::Type()).ok());
  OpTest t("Loop", 13);
  t.AddInput<int64_t>("M", {}, {3});
  t.AddInput<bool>("cond", {}, {true});
  t.AddInputValue("seq", Value::FromSequence(Sequence{DataType::kInt64, {}}));
  t.AddAttr("body", g);
  Sequence expected;
  expected.elem_type = DataType::kInt64;
  for (int64_t i = 0; i < 3; ++i) expected.items.emplace_back(Tensor::Scalar<int64_t>(i));
  t.AddOutputValue("seq_final", Value::FromSequence(expected));
  t.Run();
}

TEST(Loop, ScanOutputChangingShapeFails) {
  auto g = std::make_shared<ir::Graph>();
  g->set_name("growing_body");
  ASSERT_TRUE(g->AddInput("iter", Scalar(DataType::kInt64)).ok());
  ASSERT_TRUE(g->AddInput("cond_in", Scalar(DataType::kBool)).ok());
  ASSERT_TRUE(g->AddInput("y_in", ir::Type::Tensor(DataType::kFloat)).ok());
  ir::Attribute axis;
  axis.name = "axis";
  axis.type = ir::AttrType::kInt;
  axis.i = 0;
  g->AddNode("c", "Identity", "", 16, {"cond_in"}, {"cond_out"}, {});
  g->AddNode("cat", "Concat", "", 13, {"y_in", "y_in"}, {"y_out"}, {{"axis", axis}});
  g->AddNode("s", "Identity", "", 16, {"y_out"}, {"scan_out"}, {});
  ASSERT_TRUE(g->AddOutput("cond_out", Scalar(DataType::kBool)).ok());
  ASSERT_TRUE(g->AddOutput("y_out", ir::Type()).ok());
  ASSERT_TRUE(g->AddOutput("scan_out", ir::Type()).ok());
  OpTest t("Loop", 11);
  t.AddInput<int64_t>("M", {}, {3});
  t.AddInput<bool>("cond", {}, {true});
  t.AddInput<float>("y", {1}, {1});
  t.AddAttr("body", g);
  t.AddOutputUnchecked("y_final");
  t.AddOutputUnchecked("scan");
  t.RunExpectError("changed shape");
}

TEST(Loop, BadInputs) {
  OpTest t("Loop", 11);
  t.AddInput<int32_t>("M", {}, {3});
  t.AddInput<bool>("cond", {}, {true});
  t.AddInput<float>("y", {1}, {1});
  t.AddAttr("body", CountingBody(/*scan_output=*/true));
  t.AddOutputUnchecked("y_final");
  t.AddOutputUnchecked("scan");
  t.RunExpectError("trip count");
  OpTest u("Loop", 11);
  u.AddInput<int64_t>("M", {}, {3});
  u.AddInput<bool>("cond", {}, {true});
  u.AddAttr("body", CountingBody(/*scan_output=*/true));
  u.AddOutputUnchecked("scan");
  u.RunExpectError("body takes");
}

}  // namespace onyx::test
