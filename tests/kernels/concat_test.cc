#include "kernels/op_test.h"

namespace onyx::test {

TEST(Concat, Axis0) {
  OpTest t("Concat", 13);
  t.AddAttr("axis", int64_t{0});
  t.AddInput<float>("a", {1, 2}, {1, 2});
  t.AddInput<float>("b", {2, 2}, {3, 4, 5, 6});
  t.AddOutput<float>("out", {3, 2}, {1, 2, 3, 4, 5, 6});
  t.Run();
}

TEST(Concat, NegativeAxis) {
  OpTest t("Concat", 13);
  t.AddAttr("axis", int64_t{-1});
  t.AddInput<int32_t>("a", {2, 1}, {1, 2});
  t.AddInput<int32_t>("b", {2, 2}, {3, 4, 5, 6});
  t.AddOutput<int32_t>("out", {2, 3}, {1, 3, 4, 2, 5, 6});
  t.Run();
}

TEST(Concat, EmptyInputAndStrings) {
  OpTest t("Concat", 13);
  t.AddAttr("axis", int64_t{0});
  t.AddInput<std::string>("a", {0}, {});
  t.AddInput<std::string>("b", {2}, {"x", "y"});
  t.AddOutput<std::string>("out", {2}, {"x", "y"});
  t.Run();
}

TEST(Concat, Opset1DefaultAxisIs1) {
  OpTest t("Concat", 1);
  t.AddInput<float>("a", {1, 1}, {1});
  t.AddInput<float>("b", {1, 1}, {2});
  t.AddOutput<float>("out", {1, 2}, {1, 2});
  t.Run();
}

TEST(Concat, MismatchedDimsIsAnError) {
  OpTest t("Concat", 13);
  t.AddAttr("axis", int64_t{0});
  t.AddInput<float>("a", {1, 2}, {1, 2});
  t.AddInput<float>("b", {1, 3}, {3, 4, 5});
  t.AddOutputUnchecked("out");
  t.RunExpectError("does not match");
}

TEST(Concat, MissingAxisIsAnError) {
  OpTest t("Concat", 13);
  t.AddInput<float>("a", {1}, {1});
  t.AddOutputUnchecked("out");
  t.RunExpectError("axis");
}

}  // namespace onyx::test
