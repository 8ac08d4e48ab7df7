#include "kernels/op_test.h"

namespace onyx::test {

TEST(Unsqueeze, AxesInput) {
  OpTest t("Unsqueeze", 13);
  t.AddInput<float>("data", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddConstantInput<int64_t>("axes", {2}, {0, 3});
  t.AddOutput<float>("expanded", {1, 2, 3, 1}, {1, 2, 3, 4, 5, 6});
  t.Run();
}

TEST(Unsqueeze, NegativeAndUnsortedAxes) {
  OpTest t("Unsqueeze", 13);
  t.AddInput<int32_t>("data", {2}, {1, 2});
  t.AddInput<int64_t>("axes", {2}, {-1, 0});
  t.AddOutput<int32_t>("expanded", {1, 2, 1}, {1, 2});
  t.Run();
}

TEST(Unsqueeze, Opset11AxesAttribute) {
  OpTest t("Unsqueeze", 11);
  t.AddAttr("axes", std::vector<int64_t>{1});
  t.AddInput<std::string>("data", {2}, {"a", "b"});
  t.AddOutput<std::string>("expanded", {2, 1}, {"a", "b"});
  t.Run();
}

TEST(Unsqueeze, RepeatedAxisIsAnError) {
  OpTest t("Unsqueeze", 13);
  t.AddInput<float>("data", {2}, {1, 2});
  t.AddInput<int64_t>("axes", {2}, {0, 0});
  t.AddOutputUnchecked("expanded");
  t.RunExpectError("repeated");
}

TEST(Unsqueeze, AxisOutOfRangeIsAnError) {
  OpTest t("Unsqueeze", 13);
  t.AddInput<float>("data", {2}, {1, 2});
  t.AddInput<int64_t>("axes", {1}, {5});
  t.AddOutputUnchecked("expanded");
  t.RunExpectError("out of range");
}

}  // namespace onyx::test
