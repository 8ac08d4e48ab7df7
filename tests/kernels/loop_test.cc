#include "kernels/op_test.h"

namespace onyx::test {
namespace {

ir::Type Scalar(DataType t) { return ir::Type::Tensor(t, ir::SymShape{}); }
ir::Type Vec(DataType t, int64_t n) { return ir::Type::Tensor(t, ir::SymShape{ir::Dim::Known(n)}); }

// (iter, cond_in, y_in) -> (cond_in, y_in + 1, y_in + 1): a counted loop with one scan output.
std::shared_ptr<ir::Graph> CountingBody() {
  auto g = std::make_shared<ir::Graph>();
  g->set_name("counting_body");
  EXPECT_TRUE(g->AddInput("iter", Scalar(DataType::kInt64)).ok());
  EXPECT_TRUE(g->AddInput("cond_in", Scalar(DataType::kBool)).ok());
  EXPECT_TRUE(g->AddInput("y_in", Vec(DataType::kFloat, 1)).ok());
  EXPECT_TRUE(g->AddInitializer("one", Tensor::FromVector<float>({1}, {1})).ok());
  g->AddNode("c", "Identity", "", 16, {"cond_in"}, {"cond_out"}, {});
  g->AddNode("a", "Add", "", 14, {"y_in", "one"}, {"y_out"}, {});
  g->AddNode("s", "Identity", "", 16, {"y_out"}, {"scan_out"}, {});
  EXPECT_TRUE(g->AddOutput("cond_out", Scalar(DataType::kBool)).ok());
  EXPECT_TRUE(g->AddOutput("y_out", Vec(DataType::kFloat, 1)).ok());
  EXPECT_TRUE(g->AddOutput("scan_out", Vec(DataType::kFloat, 1)).ok());
  return g;
}

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

}  // namespace

TEST(Loop, CountedWithScanOutput) {
  OpTest t("Loop", 11);
  t.AddInput<int64_t>("M", {}, {3});
  t.AddInput<bool>("cond", {}, {true});
  t.AddInput<float>("y", {1}, {1});
  t.AddAttr("body", CountingBody());
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
  t.AddAttr("body", CountingBody());
  t.AddOutput<float>("y_final", {1}, {5});
  t.AddOutput<float>("scan", {0, 1}, {});
  t.Run();
  OpTest u("Loop", 11);
  u.AddInput<int64_t>("M", {}, {4});
  u.AddInput<bool>("cond", {}, {false});
  u.AddInput<float>("y", {1}, {5});
  u.AddAttr("body", CountingBody());
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
  t.AddAttr("body", CountingBody());
  t.AddOutputUnchecked("y_final");
  t.AddOutputUnchecked("scan");
  t.RunExpectError("trip count");
  OpTest u("Loop", 11);
  u.AddInput<int64_t>("M", {}, {3});
  u.AddInput<bool>("cond", {}, {true});
  u.AddAttr("body", CountingBody());
  u.AddOutputUnchecked("scan");
  u.RunExpectError("body takes");
}

}  // namespace onyx::test
