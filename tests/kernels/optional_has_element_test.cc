#include "kernels/op_test.h"

namespace onyx::test {

TEST(OptionalHasElement, OptionalInputs) {
  OpTest t("OptionalHasElement", 15);
  t.AddInputValue("x", Value::FromOptional(std::make_shared<Value>(Tensor::FromVector<float>({1}, {1}))));
  t.AddOutput<bool>("y", {}, {true});
  t.Run();
  OpTest u("OptionalHasElement", 18);
  u.AddInputValue("x", Value::FromOptional(nullptr));
  u.AddOutput<bool>("y", {}, {false});
  u.Run();
}

TEST(OptionalHasElement, PlainValuesAndMissingInput) {
  OpTest t("OptionalHasElement", 18);
  t.AddInput<int32_t>("x", {2}, {1, 2});
  t.AddOutput<bool>("y", {}, {true});
  t.Run();
  OpTest u("OptionalHasElement", 18);
  u.AddInputValue("x", Value::FromSequence(Sequence{DataType::kFloat, {}}));
  u.AddOutput<bool>("y", {}, {true});
  u.Run();
  OpTest w("OptionalHasElement", 18);
  w.AddMissingInput();
  w.AddOutput<bool>("y", {}, {false});
  w.Run();
}

TEST(OptionalHasElement, MissingInputBeforeOpset18) {
  OpTest t("OptionalHasElement", 15);
  t.AddMissingInput();
  t.AddOutputUnchecked("y");
  t.RunExpectError("input");  // the validator or the kernel refuses it
}

}  // namespace onyx::test
