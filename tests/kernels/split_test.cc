#include "kernels/op_test.h"

namespace onyx::test {

TEST(Split, EqualParts) {
  OpTest t("Split", 13);
  t.AddAttr("axis", int64_t{1});
  t.AddInput<float>("input", {2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  t.AddOutput<float>("a", {2, 2}, {1, 2, 5, 6});
  t.AddOutput<float>("b", {2, 2}, {3, 4, 7, 8});
  t.Run();
}

TEST(Split, SplitInputWithZeroPart) {
  OpTest t("Split", 13);
  t.AddInput<int32_t>("input", {3}, {1, 2, 3});
  t.AddConstantInput<int64_t>("split", {3}, {1, 0, 2});
  t.AddOutput<int32_t>("a", {1}, {1});
  t.AddOutput<int32_t>("b", {0}, {});
  t.AddOutput<int32_t>("c", {2}, {2, 3});
  t.Run();
}

TEST(Split, Opset11SplitAttribute) {
  OpTest t("Split", 11);
  t.AddAttr("split", std::vector<int64_t>{2, 1});
  t.AddAttr("axis", int64_t{-1});
  t.AddInput<std::string>("input", {3}, {"a", "b", "c"});
  t.AddOutput<std::string>("x", {2}, {"a", "b"});
  t.AddOutput<std::string>("y", {1}, {"c"});
  t.Run();
}

TEST(Split, NumOutputsUneven) {
  OpTest t("Split", 18);
  t.AddAttr("num_outputs", int64_t{3});
  t.AddInput<float>("input", {7}, {1, 2, 3, 4, 5, 6, 7});
  t.AddOutput<float>("a", {3}, {1, 2, 3});
  t.AddOutput<float>("b", {3}, {4, 5, 6});
  t.AddOutput<float>("c", {1}, {7});
  t.Run();
}

TEST(Split, UnevenWithoutNumOutputsIsAnError) {
  OpTest t("Split", 13);
  t.AddInput<float>("input", {3}, {1, 2, 3});
  t.AddOutputUnchecked("a");
  t.AddOutputUnchecked("b");
  t.RunExpectError("equal parts");
}

TEST(Split, BadSumIsAnError) {
  OpTest t("Split", 13);
  t.AddInput<float>("input", {3}, {1, 2, 3});
  t.AddInput<int64_t>("split", {2}, {1, 1});
  t.AddOutputUnchecked("a");
  t.AddOutputUnchecked("b");
  t.RunExpectError("sum");
}

// Split sizes come from an input: two that overflow int64 when added used to be summed anyway (UBSan, found by the
// run fuzz target, tests/fuzz/regressions/run/split-sizes-overflow-int64).
TEST(Split, SizesWhoseSumOverflowsAreAnError) {
  OpTest t("Split", 13);
  t.AddInput<float>("input", {3}, {1, 2, 3});
  t.AddInput<int64_t>("split", {2}, {int64_t{7133701809754865765}, int64_t{8385536898372493172}});
  t.AddOutputUnchecked("a");
  t.AddOutputUnchecked("b");
  t.RunExpectError("sum to more than the axis's 3");
}

}  // namespace onyx::test
