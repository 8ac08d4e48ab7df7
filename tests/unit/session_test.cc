// Session: listing inputs and outputs, feed checks that name what was wrong, concurrent Runs, parallel
// execution, If.
#include <gtest/gtest.h>

#include <thread>

#include "framework/value_compare.h"
#include "session/session.h"
#include "unit/test_models.h"

namespace onyx {
namespace {

std::unique_ptr<Session> MakeSession(const proto::ModelProto& m, SessionOptions options = {}) {
  std::string bytes = test::Serialize(m);
  auto s = Session::CreateFromBytes(bytes.data(), bytes.size(), options);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? s.take() : nullptr;
}

TEST(Session, ListsInputsAndOutputs) {
  auto s = MakeSession(test::AddReluModel());
  ASSERT_TRUE(s);
  ASSERT_EQ(s->inputs().size(), 1u);
  EXPECT_EQ(s->inputs()[0].name, "X");
  EXPECT_EQ(s->inputs()[0].type.ToString(), "tensor(float)");
  EXPECT_EQ(s->inputs()[0].type.ShapeString(), "[N,4]");
  ASSERT_EQ(s->outputs().size(), 1u);
  EXPECT_EQ(s->outputs()[0].name, "Y");
}

TEST(Session, RunsAndSelectsOutputs) {
  auto s = MakeSession(test::AddReluModel());
  ASSERT_TRUE(s);
  std::vector<Value> out;
  ASSERT_TRUE(s->Run({{"X", Value(Tensor::FromVector<float>({2, 4}, {0, 0, 0, 0, 1, 1, 1, 1}))}}, {"Y"}, &out).ok());
  ASSERT_EQ(out.size(), 1u);
  Value expected(Tensor::FromVector<float>({2, 4}, {1, 0, 3, 0, 2, 0, 4, 0}));
  EXPECT_EQ(CompareValues(expected, out[0]), "");
  Status bad = s->Run({{"X", Value(Tensor::FromVector<float>({1, 4}, {0, 0, 0, 0}))}}, {"Z"}, &out);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("unknown output name 'Z'"), std::string::npos);
}

TEST(Session, FeedChecksNameWhatWasWrong) {
  auto s = MakeSession(test::AddReluModel());
  ASSERT_TRUE(s);
  std::vector<Value> out;
  auto check = [&](const std::vector<std::pair<std::string, Value>>& feeds, const std::string& want) {
    Status st = s->Run(feeds, {}, &out);
    ASSERT_FALSE(st.ok()) << want;
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(st.message().find(want), std::string::npos) << st.message();
  };
  Value good(Tensor::FromVector<float>({1, 4}, {0, 0, 0, 0}));
  check({{"nope", good}}, "unknown input name 'nope'");
  check({}, "missing input 'X'");
  check({{"X", Value(Tensor::FromVector<int32_t>({1, 4}, {0, 0, 0, 0}))}}, "input 'X' expects element type float but got int32");
  check({{"X", Value(Tensor::FromVector<float>({4}, {0, 0, 0, 0}))}}, "input 'X' expects rank 2");
  check({{"X", Value(Tensor::FromVector<float>({1, 3}, {0, 0, 0}))}}, "input 'X' expects dim 1 to be 4");
  check({{"X", good}, {"X", good}}, "fed twice");
}

TEST(Session, ConcurrentRunsGiveIdenticalResults) {
  // A deeper graph so the runs overlap: 40 alternating Add/Relu nodes.
  proto::ModelProto m = test::AddReluModel();
  auto* g = m.mutable_graph();
  std::string prev = "Y";
  for (int i = 0; i < 20; ++i) {
    std::string a = "a" + std::to_string(i), r = "r" + std::to_string(i);
    test::AddNode(g, "Add", {prev, "B"}, {a});
    test::AddNode(g, "Relu", {a}, {r});
    prev = r;
  }
  test::SetTensorType(g->add_output(), prev, 1, {-1, 4});
  SessionOptions options;
  options.intra_op_threads = 2;
  auto s = MakeSession(m, options);
  ASSERT_TRUE(s);
  constexpr int kThreads = 4, kIterations = 50;
  std::vector<std::vector<Value>> results(kThreads);
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<float> data(64 * 4);
      for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<float>(i % 13) - 6.0f;
      for (int it = 0; it < kIterations; ++it) {
        std::vector<Value> out;
        Status st = s->Run({{"X", Value(Tensor::FromVector<float>({64, 4}, data))}}, {}, &out);
        if (!st.ok()) {
          errors[static_cast<size_t>(t)] = st.ToString();
          return;
        }
        if (it == kIterations - 1) results[static_cast<size_t>(t)] = out;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(errors[static_cast<size_t>(t)], "");
    ASSERT_EQ(results[static_cast<size_t>(t)].size(), 2u);
    for (size_t k = 0; k < 2; ++k) {
      EXPECT_EQ(CompareValues(results[0][k], results[static_cast<size_t>(t)][k], {0, 0}), "") << "thread " << t;
    }
  }
}

// X -> 8 independent branches, each two nodes deep, some reading a shared intermediate, summed at the end:
// work the parallel execution mode can spread over threads.
proto::ModelProto BranchyModel() {
  proto::ModelProto m = test::AddReluModel();
  auto* g = m.mutable_graph();
  const char* ops[] = {"Sigmoid", "Neg", "Abs", "Tanh", "Relu", "Exp", "Floor", "Ceil"};
  std::vector<std::string> ends;
  for (int i = 0; i < 8; ++i) {
    std::string a = "p" + std::to_string(i), b = "q" + std::to_string(i);
    test::AddNode(g, ops[i], {i % 2 ? "S" : "X"}, {a});
    test::AddNode(g, "Add", {a, i % 3 ? "Y" : "B"}, {b});
    ends.push_back(b);
  }
  test::AddNode(g, "Sum", ends, {"Total"});
  test::SetTensorType(g->add_output(), "Total", 1, {-1, 4});
  return m;
}

TEST(Session, ParallelExecutionMatchesSequential) {
  proto::ModelProto m = BranchyModel();
  SessionOptions sequential;
  sequential.intra_op_threads = 1;
  SessionOptions parallel = sequential;
  parallel.execution_mode = ExecutionMode::kParallel;
  parallel.inter_op_threads = 3;
  auto a = MakeSession(m, sequential);
  auto b = MakeSession(m, parallel);
  ASSERT_TRUE(a && b);
  std::vector<float> data(32 * 4);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<float>(i % 11) * 0.3f - 1.5f;
  std::vector<Value> expected;
  ASSERT_TRUE(a->Run({{"X", Value(Tensor::FromVector<float>({32, 4}, data))}}, {}, &expected).ok());
  // Several concurrent parallel runs, repeatedly: every one gives the sequential result.
  std::vector<std::string> errors(3);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < errors.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int it = 0; it < 30; ++it) {
        std::vector<Value> out;
        Status st = b->Run({{"X", Value(Tensor::FromVector<float>({32, 4}, data))}}, {}, &out);
        if (!st.ok()) {
          errors[t] = st.ToString();
          return;
        }
        for (size_t k = 0; k < out.size(); ++k) {
          std::string diff = CompareValues(expected[k], out[k], {0, 0});
          if (!diff.empty()) {
            errors[t] = "output " + std::to_string(k) + ": " + diff;
            return;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const std::string& e : errors) EXPECT_EQ(e, "");
}

TEST(Session, ParallelExecutionReportsAFailingBranch) {
  // One branch reshapes X to a size given at run time; a wrong size fails that node, and the run reports it.
  proto::ModelProto m = BranchyModel();
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "Shape", 7, {2});
  test::AddNode(g, "Reshape", {"X", "Shape"}, {"R"}, "bad_reshape");
  test::SetTensorType(g->add_output(), "R", 1, {-1, -1});
  SessionOptions parallel;
  parallel.execution_mode = ExecutionMode::kParallel;
  parallel.inter_op_threads = 4;
  auto s = MakeSession(m, parallel);
  ASSERT_TRUE(s);
  std::vector<Value> out;
  Status st = s->Run({{"X", Value(Tensor::FromVector<float>({2, 4}, std::vector<float>(8, 1.0f)))},
                      {"Shape", Value(Tensor::FromVector<int64_t>({2}, {3, 3}))}},
                     {}, &out);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("bad_reshape"), std::string::npos) << st.message();
  // The session stays usable.
  st = s->Run({{"X", Value(Tensor::FromVector<float>({2, 4}, std::vector<float>(8, 1.0f)))},
               {"Shape", Value(Tensor::FromVector<int64_t>({2}, {4, 2}))}},
              {}, &out);
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST(Session, IfReadsOuterScope) {
  proto::ModelProto m;
  m.set_ir_version(8);
  auto* op = m.add_opset_import();
  op->set_version(17);
  auto* g = m.mutable_graph();
  g->set_name("if_model");
  test::SetTensorType(g->add_input(), "cond", 9, {});
  test::SetTensorType(g->add_input(), "X", 1, {2});
  test::SetTensorType(g->add_output(), "Y", 1, {2});
  auto* node = test::AddNode(g, "If", {"cond"}, {"Y"});
  auto make_branch = [&](const char* name, const char* op_type) {
    auto* a = node->add_attribute();
    a->set_name(name);
    a->set_type(proto::AttributeProto::GRAPH);
    auto* b = a->mutable_g();
    b->set_name(name);
    test::AddNode(b, op_type, {"X", "X"}, {std::string(name) + "_out"});
    test::SetTensorType(b->add_output(), std::string(name) + "_out", 1, {2});
  };
  make_branch("then_branch", "Add");
  make_branch("else_branch", "Mul");
  auto s = MakeSession(m);
  ASSERT_TRUE(s);
  for (bool c : {true, false}) {
    std::vector<Value> out;
    Status st = s->Run({{"cond", Value(Tensor::Scalar<bool>(c))}, {"X", Value(Tensor::FromVector<float>({2}, {3, 4}))}},
                       {}, &out);
    ASSERT_TRUE(st.ok()) << st.ToString();
    Value expected(Tensor::FromVector<float>({2}, c ? std::vector<float>{6, 8} : std::vector<float>{9, 16}));
    EXPECT_EQ(CompareValues(expected, out[0]), "");
  }
}

// A MatMul inside If whose weights W live in the main graph: a constant there is a constant input to the
// kernel (packed once); an initializer that is also a graph input can be fed, and the fed value is used.
TEST(Session, SubgraphKernelSeesOuterConstantsButNotOverridableInputs) {
  for (bool overridable : {false, true}) {
    SCOPED_TRACE(overridable ? "W overridable" : "W constant");
    proto::ModelProto m;
    m.set_ir_version(8);
    m.add_opset_import()->set_version(17);
    auto* g = m.mutable_graph();
    g->set_name("if_matmul");
    test::SetTensorType(g->add_input(), "cond", 9, {});
    test::SetTensorType(g->add_input(), "X", 1, {4, 3});
    auto* w = g->add_initializer();
    w->set_name("W");
    w->set_data_type(1);
    w->add_dims(3);
    w->add_dims(2);
    for (float v : {1.0f, 0.0f, 0.0f, 1.0f, 1.0f, 1.0f}) w->add_float_data(v);
    if (overridable) test::SetTensorType(g->add_input(), "W", 1, {3, 2});
    test::SetTensorType(g->add_output(), "Y", 1, {4, 2});
    auto* node = test::AddNode(g, "If", {"cond"}, {"Y"});
    for (const char* name : {"then_branch", "else_branch"}) {
      auto* a = node->add_attribute();
      a->set_name(name);
      a->set_type(proto::AttributeProto::GRAPH);
      auto* b = a->mutable_g();
      b->set_name(name);
      test::AddNode(b, "MatMul", {"X", "W"}, {std::string(name) + "_out"});
      test::SetTensorType(b->add_output(), std::string(name) + "_out", 1, {4, 2});
    }
    SessionOptions o;
    o.optimization_level = OptimizationLevel::kDisabled;
    auto s = MakeSession(m, o);
    ASSERT_TRUE(s);
    std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    std::vector<std::pair<std::string, Value>> feeds = {{"cond", Value(Tensor::Scalar<bool>(true))},
                                                        {"X", Value(Tensor::FromVector<float>({4, 3}, x))}};
    // X * [[1,0],[0,1],[1,1]] = [x0 + x2, x1 + x2]; with W fed as all twos: [2(x0+x1+x2)] twice.
    std::vector<float> expected = {4, 5, 10, 11, 16, 17, 22, 23};
    if (overridable) {
      feeds.emplace_back("W", Value(Tensor::FromVector<float>({3, 2}, std::vector<float>(6, 2.0f))));
      expected = {12, 12, 30, 30, 48, 48, 66, 66};
    }
    std::vector<Value> out;
    Status st = s->Run(feeds, {}, &out);
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(CompareValues(Value(Tensor::FromVector<float>({4, 2}, expected)), out[0]), "");
  }
}

TEST(Session, OptionsAreChecked) {
  SessionOptions options;
  options.intra_op_threads = -1;
  std::string bytes = test::Serialize(test::AddReluModel());
  auto s = Session::CreateFromBytes(bytes.data(), bytes.size(), options);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("intra_op_threads"), std::string::npos);
  options.intra_op_threads = 1;
  options.execution_mode = ExecutionMode::kParallel;
  EXPECT_TRUE(Session::CreateFromBytes(bytes.data(), bytes.size(), options).ok());
  options.inter_op_threads = -2;
  s = Session::CreateFromBytes(bytes.data(), bytes.size(), options);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("inter_op_threads"), std::string::npos);
  options.inter_op_threads = 0;
  options.config["session.inter_op_num_threads"] = "many";
  s = Session::CreateFromBytes(bytes.data(), bytes.size(), options);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("session.inter_op_num_threads"), std::string::npos);
}

TEST(Session, MissingKernelIsAClearError) {
  proto::ModelProto m = test::AddReluModel();
  test::AddNode(m.mutable_graph(), "ImageDecoder", {"Y"}, {"Z"});
  std::string bytes = test::Serialize(m);
  auto s = Session::CreateFromBytes(bytes.data(), bytes.size());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("ImageDecoder"), std::string::npos) << s.status().message();
}

}  // namespace
}  // namespace onyx

namespace onyx {
namespace {

// Found by the `run` fuzz target (tests/fuzz/regressions/run/): a bool input whose bytes were not 0 or 1 reached
// the kernels, which read them as C++ bool (undefined; UBSan stopped at Or). Feeds are now made canonical (a
// nonzero byte is true), and so are bool initializers read from raw_data.
TEST(Session, BoolFeedsWithAnyByteReadAsTrue) {
  proto::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(17);
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "X", 9, {4});
  test::SetTensorType(g->add_output(), "Y", 9, {4});
  auto* b = g->add_initializer();
  b->set_name("B");
  b->set_data_type(9);
  b->add_dims(4);
  b->set_raw_data(std::string("\x00\x00\x07\x00", 4));  // raw_data from a file: 7 means true
  test::AddNode(g, "Or", {"X", "B"}, {"Y"});
  auto s = MakeSession(m);
  ASSERT_TRUE(s);
  uint8_t bytes[4] = {0, 27, 0, 255};
  Tensor x = Tensor::Wrap(DataType::kBool, {4}, bytes);
  std::vector<Value> out;
  Status st = s->Run({{"X", Value(x)}}, {}, &out);
  ASSERT_TRUE(st.ok()) << st.ToString();
  const auto* y = static_cast<const uint8_t*>(out[0].tensor().raw());
  EXPECT_EQ(y[0], 0);
  EXPECT_EQ(y[1], 1);
  EXPECT_EQ(y[2], 1);
  EXPECT_EQ(y[3], 1);
  EXPECT_EQ(bytes[1], 27) << "the caller's buffer is read, never written";
}

}  // namespace
}  // namespace onyx
