#include "kernels/op_test.h"

namespace onyx::test {

TEST(SequenceLength, Counts) {
  Sequence s;
  s.elem_type = DataType::kInt32;
  s.items.emplace_back(Tensor::FromVector<int32_t>({1}, {1}));
  s.items.emplace_back(Tensor::FromVector<int32_t>({2}, {2, 3}));
  OpTest t("SequenceLength", 11);
  t.AddInputValue("s", Value::FromSequence(s));
  t.AddOutput<int64_t>("n", {}, {2});
  t.Run();
  OpTest u("SequenceLength", 11);
  u.AddInputValue("s", Value::FromSequence(Sequence{DataType::kFloat, {}}));
  u.AddOutput<int64_t>("n", {}, {0});
  u.Run();
}

TEST(SequenceLength, TensorInputFails) {
  OpTest t("SequenceLength", 11);
  t.AddInput<float>("s", {1}, {1});
  t.AddOutputUnchecked("n");
  t.RunExpectError("sequence");
}

}  // namespace onyx::test
