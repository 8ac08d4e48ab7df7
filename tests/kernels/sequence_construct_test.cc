#include "kernels/op_test.h"

namespace onyx::test {
namespace {

Value Seq(DataType type, std::vector<Tensor> items) {
  Sequence s;
  s.elem_type = type;
  for (Tensor &t : items) s.items.emplace_back(std::move(t));
  return Value::FromSequence(std::move(s));
}

}  // namespace

TEST(SequenceConstruct, Floats) {
  OpTest t("SequenceConstruct", 11);
  t.AddInput<float>("a", {2}, {1, 2});
  t.AddInput<float>("b", {1, 3}, {3, 4, 5});
  t.AddOutputValue("s", Seq(DataType::kFloat,
                            {Tensor::FromVector<float>({2}, {1, 2}), Tensor::FromVector<float>({1, 3}, {3, 4, 5})}));
  t.Run();
}

TEST(SequenceConstruct, StringsAndInts) {
  OpTest t("SequenceConstruct", 11);
  t.AddInput<std::string>("a", {2}, {"x", "yz"});
  t.AddOutputValue("s", Seq(DataType::kString, {Tensor::FromVector<std::string>({2}, {"x", "yz"})}));
  t.Run();
  OpTest u("SequenceConstruct", 23);
  u.AddInput<int64_t>("a", {}, {7});
  u.AddInput<int64_t>("b", {0}, {});
  u.AddOutputValue("s",
                   Seq(DataType::kInt64, {Tensor::FromVector<int64_t>({}, {7}), Tensor::FromVector<int64_t>({0}, {})}));
  u.Run();
}

TEST(SequenceConstruct, MixedTypesFail) {
  OpTest t("SequenceConstruct", 11);
  t.AddInput<float>("a", {1}, {1});
  t.AddInput<int32_t>("b", {1}, {2});
  t.AddOutputUnchecked("s");
  t.RunExpectError("element type");
}

}  // namespace onyx::test
