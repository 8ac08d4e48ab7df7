#include <limits>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

template <typename T>
Value SeqOf(DataType type, std::vector<std::pair<Shape, std::vector<T>>> items) {
  Sequence s;
  s.elem_type = type;
  for (auto &[shape, v] : items) s.items.emplace_back(Tensor::FromVector<T>(shape, v));
  return Value::FromSequence(std::move(s));
}

}  // namespace

TEST(SplitToSequence, DefaultKeepdims) {
  OpTest t("SplitToSequence", 11);
  t.AddInput<float>("x", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddAttr("axis", int64_t{1});
  t.AddOutputValue("s", SeqOf<float>(DataType::kFloat, {{{2, 1}, {1, 4}}, {{2, 1}, {2, 5}}, {{2, 1}, {3, 6}}}));
  t.Run();
}

TEST(SplitToSequence, NoKeepdims) {
  OpTest t("SplitToSequence", 11);
  t.AddInput<int32_t>("x", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutputValue("s", SeqOf<int32_t>(DataType::kInt32, {{{3}, {1, 2, 3}}, {{3}, {4, 5, 6}}}));
  t.Run();
}

TEST(SplitToSequence, ScalarSplitUneven) {
  OpTest t("SplitToSequence", 24);
  t.AddInput<std::string>("x", {5}, {"a", "b", "c", "d", "e"});
  t.AddInput<int64_t>("split", {}, {2});
  t.AddOutputValue("s", SeqOf<std::string>(DataType::kString, {{{2}, {"a", "b"}}, {{2}, {"c", "d"}}, {{1}, {"e"}}}));
  t.Run();
}

TEST(SplitToSequence, ListSplitNegativeAxis) {
  OpTest t("SplitToSequence", 11);
  t.AddInput<double>("x", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int32_t>("split", {2}, {1, 2});
  t.AddAttr("axis", int64_t{-1});
  t.AddOutputValue("s", SeqOf<double>(DataType::kDouble, {{{2, 1}, {1, 4}}, {{2, 2}, {2, 3, 5, 6}}}));
  t.Run();
}

TEST(SplitToSequence, Errors) {
  OpTest t("SplitToSequence", 11);
  t.AddInput<float>("x", {3}, {1, 2, 3});
  t.AddInput<int64_t>("split", {2}, {1, 1});
  t.AddOutputUnchecked("s");
  t.RunExpectError("add up to 3");
  OpTest u("SplitToSequence", 11);
  u.AddInput<float>("x", {3}, {1, 2, 3});
  u.AddAttr("axis", int64_t{1});
  u.AddOutputUnchecked("s");
  u.RunExpectError("out of range");
  OpTest w("SplitToSequence", 11);
  w.AddInput<float>("x", {3}, {1, 2, 3});
  w.AddInput<int64_t>("split", {}, {0});
  w.AddOutputUnchecked("s");
  w.RunExpectError("positive");
}

// Lengths come from an input; summed with wrap-around, 2 + max + max + 3 came back to 3 and was accepted.
TEST(SplitToSequence, LengthsWhoseSumOverflowsAreAnError) {
  OpTest t("SplitToSequence", 11);
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  t.AddInput<float>("x", {3}, {1, 2, 3});
  t.AddInput<int64_t>("split", {4}, {2, kMax, kMax, 3});
  t.AddOutputUnchecked("seq");
  t.RunExpectError("add up to 3");
}

}  // namespace onyx::test
