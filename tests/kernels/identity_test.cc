#include "kernels/op_test.h"

namespace onyx::test {

TEST(Identity, Tensor) {
  OpTest t("Identity", 21);
  t.AddInput<float>("input", {2}, {1, 2});
  t.AddOutput<float>("output", {2}, {1, 2});
  t.Run();
  OpTest s("Identity", 13);
  s.AddInput<std::string>("input", {1}, {"x"});
  s.AddOutput<std::string>("output", {1}, {"x"});
  s.Run();
}

TEST(Identity, Sequence) {
  Sequence seq;
  seq.elem_type = DataType::kFloat;
  seq.items.push_back(Value(Tensor::FromVector<float>({1}, {3})));
  seq.items.push_back(Value(Tensor::FromVector<float>({2}, {4, 5})));
  OpTest t("Identity", 16);
  t.AddInputValue("input", Value::FromSequence(seq));
  t.AddOutputValue("output", Value::FromSequence(seq));
  t.Run();
}

TEST(Identity, Optional) {
  auto inner = std::make_shared<Value>(Tensor::FromVector<int64_t>({1}, {9}));
  OpTest t("Identity", 16);
  t.AddInputValue("input", Value::FromOptional(inner));
  t.AddOutputValue("output", Value::FromOptional(inner));
  t.Run();
}

}  // namespace onyx::test
