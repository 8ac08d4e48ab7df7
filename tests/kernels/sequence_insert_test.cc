#include "kernels/op_test.h"

namespace onyx::test {
namespace {

Value Ints(std::vector<std::vector<int64_t>> items) {
  Sequence s;
  s.elem_type = DataType::kInt64;
  for (auto &v : items) s.items.emplace_back(Tensor::FromVector<int64_t>({static_cast<int64_t>(v.size())}, v));
  return Value::FromSequence(std::move(s));
}

}  // namespace

TEST(SequenceInsert, AppendByDefault) {
  OpTest t("SequenceInsert", 11);
  t.AddInputValue("s", Ints({{1}, {2, 3}}));
  t.AddInput<int64_t>("t", {1}, {9});
  t.AddOutputValue("o", Ints({{1}, {2, 3}, {9}}));
  t.Run();
}

TEST(SequenceInsert, AtPosition) {
  OpTest t("SequenceInsert", 11);
  t.AddInputValue("s", Ints({{1}, {2, 3}}));
  t.AddInput<int64_t>("t", {1}, {9});
  t.AddInput<int64_t>("p", {}, {0});
  t.AddOutputValue("o", Ints({{9}, {1}, {2, 3}}));
  t.Run();
  OpTest u("SequenceInsert", 11);
  u.AddInputValue("s", Ints({{1}, {2, 3}}));
  u.AddInput<int64_t>("t", {1}, {9});
  u.AddInput<int32_t>("p", {}, {-1});
  u.AddOutputValue("o", Ints({{1}, {9}, {2, 3}}));
  u.Run();
  OpTest w("SequenceInsert", 11);
  w.AddInputValue("s", Ints({}));
  w.AddInput<int64_t>("t", {2}, {4, 5});
  w.AddInput<int64_t>("p", {}, {0});
  w.AddOutputValue("o", Ints({{4, 5}}));
  w.Run();
}

TEST(SequenceInsert, Errors) {
  OpTest t("SequenceInsert", 11);
  t.AddInputValue("s", Ints({{1}}));
  t.AddInput<int64_t>("t", {1}, {9});
  t.AddInput<int64_t>("p", {}, {3});
  t.AddOutputUnchecked("o");
  t.RunExpectError("out of range");
  OpTest u("SequenceInsert", 11);
  u.AddInputValue("s", Ints({{1}}));
  u.AddInput<float>("t", {1}, {9});
  u.AddOutputUnchecked("o");
  u.RunExpectError("cannot insert");
}

}  // namespace onyx::test
