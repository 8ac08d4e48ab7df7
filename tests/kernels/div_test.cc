#include "kernels/op_test.h"

namespace onyx::test {

TEST(Div, Float) {
  OpTest t("Div", 14);
  t.AddInput<float>("A", {3}, {3, 4, -9});
  t.AddInput<float>("B", {3}, {2, 8, 3});
  t.AddOutput<float>("C", {3}, {1.5f, 0.5f, -3});
  t.Run();
}

TEST(Div, IntegerTruncates) {
  OpTest t("Div", 14);
  t.AddInput<int32_t>("A", {4}, {-3, 3, -3, 3});
  t.AddInput<int32_t>("B", {4}, {2, 2, -2, -2});
  t.AddOutput<int32_t>("C", {4}, {-1, 1, 1, -1});
  t.Run();
}

TEST(Div, MinByMinusOne) {
  OpTest t("Div", 14);
  t.AddInput<int8_t>("A", {2}, {-128, 100});
  t.AddInput<int8_t>("B", {1}, {-1});
  t.AddOutput<int8_t>("C", {2}, {-128, -100});
  t.Run();
}

TEST(Div, Broadcast) {
  OpTest t("Div", 13);
  t.AddInput<double>("A", {2, 2}, {2, 4, 6, 8});
  t.AddInput<double>("B", {2}, {2, 4});
  t.AddOutput<double>("C", {2, 2}, {1, 1, 3, 2});
  t.Run();
}

TEST(Div, IntegerByZeroIsAnError) {
  OpTest t("Div", 14);
  t.AddInput<int64_t>("A", {2}, {1, 2});
  t.AddInput<int64_t>("B", {2}, {1, 0});
  t.AddOutputUnchecked("C");
  t.RunExpectError("division by zero");
}

}  // namespace onyx::test
