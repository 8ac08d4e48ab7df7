#include "kernels/op_test.h"

namespace onyx::test {
namespace {

Value FloatSeq(std::vector<std::vector<float>> items) {
  Sequence s;
  s.elem_type = DataType::kFloat;
  for (auto &v : items) s.items.emplace_back(Tensor::FromVector<float>({static_cast<int64_t>(v.size())}, v));
  return Value::FromSequence(std::move(s));
}

std::shared_ptr<ir::Graph> AddBody() {
  auto g = std::make_shared<ir::Graph>();
  g->set_name("add_body");
  EXPECT_TRUE(g->AddInput("a", ir::Type::Tensor(DataType::kFloat)).ok());
  EXPECT_TRUE(g->AddInput("b", ir::Type::Tensor(DataType::kFloat)).ok());
  g->AddNode("add", "Add", "", 14, {"a", "b"}, {"c"}, {});
  EXPECT_TRUE(g->AddOutput("c", ir::Type::Tensor(DataType::kFloat)).ok());
  return g;
}

}  // namespace

TEST(SequenceMap, SequenceAndTensor) {
  OpTest t("SequenceMap", 17);
  t.AddInputValue("s", FloatSeq({{1, 2}, {3}}));
  t.AddInput<float>("k", {1}, {10});
  t.AddAttr("body", AddBody());
  t.AddOutputValue("o", FloatSeq({{11, 12}, {13}}));
  t.Run();
}

TEST(SequenceMap, TwoSequences) {
  OpTest t("SequenceMap", 17);
  t.AddInputValue("s", FloatSeq({{1, 2}, {3}}));
  t.AddInputValue("u", FloatSeq({{1, 1}, {5}}));
  t.AddAttr("body", AddBody());
  t.AddOutputValue("o", FloatSeq({{2, 3}, {8}}));
  t.Run();
}

TEST(SequenceMap, ShapesAndMultipleOutputs) {
  auto g = std::make_shared<ir::Graph>();
  g->set_name("shape_body");
  ASSERT_TRUE(g->AddInput("x", ir::Type::Tensor(DataType::kFloat)).ok());
  g->AddNode("shape", "Shape", "", 15, {"x"}, {"s"}, {});
  g->AddNode("id", "Identity", "", 16, {"x"}, {"y"}, {});
  ASSERT_TRUE(g->AddOutput("s", ir::Type::Tensor(DataType::kInt64)).ok());
  ASSERT_TRUE(g->AddOutput("y", ir::Type::Tensor(DataType::kFloat)).ok());
  OpTest t("SequenceMap", 17);
  t.AddInputValue("in", FloatSeq({{1, 2, 3}, {}}));
  t.AddAttr("body", g);
  Sequence shapes;
  shapes.elem_type = DataType::kInt64;
  shapes.items.emplace_back(Tensor::FromVector<int64_t>({1}, {3}));
  shapes.items.emplace_back(Tensor::FromVector<int64_t>({1}, {0}));
  t.AddOutputValue("shapes", Value::FromSequence(shapes));
  t.AddOutputValue("same", FloatSeq({{1, 2, 3}, {}}));
  t.Run();
}

TEST(SequenceMap, Errors) {
  OpTest t("SequenceMap", 17);
  t.AddInputValue("s", FloatSeq({{1, 2}, {3}}));
  t.AddInputValue("u", FloatSeq({{1, 1}}));
  t.AddAttr("body", AddBody());
  t.AddOutputUnchecked("o");
  t.RunExpectError("sequence of 1 elements");
  OpTest u("SequenceMap", 17);
  u.AddInputValue("s", FloatSeq({{1, 2}}));
  u.AddAttr("body", AddBody());
  u.AddOutputUnchecked("o");
  u.RunExpectError("body takes 2 inputs");
}

}  // namespace onyx::test
