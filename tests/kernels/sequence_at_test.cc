#include "kernels/op_test.h"

namespace onyx::test {
namespace {

Value ThreeItems() {
  Sequence s;
  s.elem_type = DataType::kFloat;
  s.items.emplace_back(Tensor::FromVector<float>({1}, {1}));
  s.items.emplace_back(Tensor::FromVector<float>({2}, {2, 3}));
  s.items.emplace_back(Tensor::FromVector<float>({}, {4}));
  return Value::FromSequence(std::move(s));
}

}  // namespace

TEST(SequenceAt, PositiveAndNegative) {
  OpTest t("SequenceAt", 11);
  t.AddInputValue("s", ThreeItems());
  t.AddInput<int64_t>("p", {}, {1});
  t.AddOutput<float>("y", {2}, {2, 3});
  t.Run();
  OpTest u("SequenceAt", 11);
  u.AddInputValue("s", ThreeItems());
  u.AddInput<int32_t>("p", {}, {-1});
  u.AddOutput<float>("y", {}, {4});
  u.Run();
}

TEST(SequenceAt, OutOfRange) {
  OpTest t("SequenceAt", 11);
  t.AddInputValue("s", ThreeItems());
  t.AddInput<int64_t>("p", {}, {3});
  t.AddOutputUnchecked("y");
  t.RunExpectError("out of range");
  OpTest u("SequenceAt", 11);
  u.AddInputValue("s", ThreeItems());
  u.AddInput<int64_t>("p", {}, {-4});
  u.AddOutputUnchecked("y");
  u.RunExpectError("out of range");
}

TEST(SequenceAt, BadPositionType) {
  OpTest t("SequenceAt", 11);
  t.AddInputValue("s", ThreeItems());
  t.AddInput<float>("p", {}, {0});
  t.AddOutputUnchecked("y");
  t.RunExpectError("int32 or int64");
}

}  // namespace onyx::test
