// Session::Run fetching intermediate values by name: returned as computed at the session's optimization level,
// kept alive only for the run that asks, and a clear error for values the optimizer removed.
#include <gtest/gtest.h>

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

// Y = (X @ W) + B, then Relu: at level all MatMul+Add fuse, so "M" no longer exists.
proto::ModelProto MatMulAddReluModel() {
  proto::ModelProto m;
  m.set_ir_version(8);
  auto* op = m.add_opset_import();
  op->set_domain("");
  op->set_version(17);
  auto* g = m.mutable_graph();
  g->set_name("mm");
  test::SetTensorType(g->add_input(), "X", 1, {2, 2});
  test::SetTensorType(g->add_output(), "Y", 1, {2, 2});
  auto* w = g->add_initializer();
  w->set_name("W");
  w->set_data_type(1);
  w->add_dims(2);
  w->add_dims(2);
  for (float v : {1.0f, 2.0f, 3.0f, 4.0f}) w->add_float_data(v);
  auto* b = g->add_initializer();
  b->set_name("B");
  b->set_data_type(1);
  b->add_dims(2);
  for (float v : {-10.0f, 1.0f}) b->add_float_data(v);
  test::AddNode(g, "MatMul", {"X", "W"}, {"M"});
  test::AddNode(g, "Add", {"M", "B"}, {"S"});
  test::AddNode(g, "Relu", {"S"}, {"Y"});
  return m;
}

TEST(SessionFetch, ReturnsIntermediateValuesBesideOutputs) {
  for (ExecutionMode mode : {ExecutionMode::kSequential, ExecutionMode::kParallel}) {
    SessionOptions options;
    options.execution_mode = mode;
    options.inter_op_threads = 2;
    auto s = MakeSession(test::AddReluModel(), options);
    ASSERT_TRUE(s);
    std::vector<Value> out;
    Value x(Tensor::FromVector<float>({2, 4}, {0, 0, 0, 0, 1, 1, 1, 1}));
    Status st = s->Run({{"X", x}}, {"S", "Y", "X", "B"}, &out);
    ASSERT_TRUE(st.ok()) << st.ToString();
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(CompareValues(Value(Tensor::FromVector<float>({2, 4}, {1, -2, 3, -4, 2, -1, 4, -3})), out[0]), "");
    EXPECT_EQ(CompareValues(Value(Tensor::FromVector<float>({2, 4}, {1, 0, 3, 0, 2, 0, 4, 0})), out[1]), "");
    EXPECT_EQ(CompareValues(x, out[2]), "");
    EXPECT_EQ(CompareValues(Value(Tensor::FromVector<float>({4}, {1, -2, 3, -4})), out[3]), "");
    // The next run without the request returns only what it asks for.
    ASSERT_TRUE(s->Run({{"X", x}}, {}, &out).ok());
    EXPECT_EQ(out.size(), 1u);
  }
}

TEST(SessionFetch, FusedValueIsAnErrorThatSuggestsALowerLevel) {
  auto all = MakeSession(MatMulAddReluModel());
  ASSERT_TRUE(all);
  Value x(Tensor::FromVector<float>({2, 2}, {1, 0, 0, 1}));
  std::vector<Value> out;
  Status st = all->Run({{"X", x}}, {"M"}, &out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("value 'M' was optimized away"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("lower optimization level"), std::string::npos) << st.message();

  SessionOptions disabled;
  disabled.optimization_level = OptimizationLevel::kDisabled;
  auto plain = MakeSession(MatMulAddReluModel(), disabled);
  ASSERT_TRUE(plain);
  st = plain->Run({{"X", x}}, {"M", "S"}, &out);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(CompareValues(Value(Tensor::FromVector<float>({2, 2}, {1, 2, 3, 4})), out[0]), "");
  EXPECT_EQ(CompareValues(Value(Tensor::FromVector<float>({2, 2}, {-9, 3, -7, 5})), out[1]), "");
}

TEST(SessionFetch, UnknownNameIsAnError) {
  auto s = MakeSession(test::AddReluModel());
  ASSERT_TRUE(s);
  std::vector<Value> out;
  Status st = s->Run({{"X", Value(Tensor::FromVector<float>({1, 4}, {0, 0, 0, 0}))}}, {"nothing"}, &out);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("unknown output name 'nothing'"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace onyx
