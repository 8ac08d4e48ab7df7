#include "kernels/op_test.h"

namespace onyx::test {

TEST(OptionalGetElement, UnwrapsTensorAndSequence) {
  OpTest t("OptionalGetElement", 15);
  t.AddInputValue("x", Value::FromOptional(std::make_shared<Value>(Tensor::FromVector<int64_t>({2}, {4, 5}))));
  t.AddOutput<int64_t>("y", {2}, {4, 5});
  t.Run();
  Sequence s;
  s.elem_type = DataType::kString;
  s.items.emplace_back(Tensor::FromVector<std::string>({1}, {"a"}));
  OpTest u("OptionalGetElement", 18);
  u.AddInputValue("x", Value::FromOptional(std::make_shared<Value>(Value::FromSequence(s))));
  u.AddOutputValue("y", Value::FromSequence(s));
  u.Run();
}

TEST(OptionalGetElement, PassesPlainValues) {
  OpTest t("OptionalGetElement", 18);
  t.AddInput<float>("x", {1}, {3});
  t.AddOutput<float>("y", {1}, {3});
  t.Run();
}

TEST(OptionalGetElement, EmptyFails) {
  OpTest t("OptionalGetElement", 18);
  t.AddInputValue("x", Value::FromOptional(nullptr));
  t.AddOutputUnchecked("y");
  t.RunExpectError("empty");
}

}  // namespace onyx::test
