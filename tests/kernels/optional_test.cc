#include "kernels/op_test.h"

namespace onyx::test {

TEST(Optional, WrapsTensor) {
  OpTest t("Optional", 15);
  t.AddInput<float>("x", {2}, {1, 2});
  t.AddOutputValue("o", Value::FromOptional(std::make_shared<Value>(Tensor::FromVector<float>({2}, {1, 2}))));
  t.Run();
}

TEST(Optional, WrapsSequence) {
  Sequence s;
  s.elem_type = DataType::kInt64;
  s.items.emplace_back(Tensor::FromVector<int64_t>({1}, {3}));
  OpTest t("Optional", 15);
  t.AddInputValue("x", Value::FromSequence(s));
  t.AddOutputValue("o", Value::FromOptional(std::make_shared<Value>(Value::FromSequence(s))));
  t.Run();
}

// Empty optionals made from the 'type' attribute are covered by the conformance cases (test_if_opt,
// test_optional_has_element_empty_*): OpTest cannot set TYPE_PROTO attributes.
TEST(Optional, MissingInputNeedsType) {
  OpTest t("Optional", 15);
  t.AddMissingInput();
  t.AddOutputUnchecked("o");
  t.RunExpectError("'type' attribute");
}

}  // namespace onyx::test
