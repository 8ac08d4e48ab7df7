#include "kernels/op_test.h"

namespace onyx::test {
namespace {

Value Floats(std::vector<std::vector<float>> items) {
  Sequence s;
  s.elem_type = DataType::kFloat;
  for (auto &v : items) s.items.emplace_back(Tensor::FromVector<float>({static_cast<int64_t>(v.size())}, v));
  return Value::FromSequence(std::move(s));
}

}  // namespace

TEST(SequenceErase, LastByDefault) {
  OpTest t("SequenceErase", 11);
  t.AddInputValue("s", Floats({{1}, {2, 3}, {4}}));
  t.AddOutputValue("o", Floats({{1}, {2, 3}}));
  t.Run();
}

TEST(SequenceErase, AtPosition) {
  OpTest t("SequenceErase", 11);
  t.AddInputValue("s", Floats({{1}, {2, 3}, {4}}));
  t.AddInput<int64_t>("p", {}, {-3});
  t.AddOutputValue("o", Floats({{2, 3}, {4}}));
  t.Run();
}

TEST(SequenceErase, Errors) {
  OpTest t("SequenceErase", 11);
  t.AddInputValue("s", Floats({}));
  t.AddOutputUnchecked("o");
  t.RunExpectError("empty sequence");
  OpTest u("SequenceErase", 11);
  u.AddInputValue("s", Floats({{1}}));
  u.AddInput<int64_t>("p", {}, {1});
  u.AddOutputUnchecked("o");
  u.RunExpectError("out of range");
}

}  // namespace onyx::test
