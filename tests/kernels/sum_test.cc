#include "kernels/op_test.h"

namespace onyx::test {

TEST(Sum, ThreeInputs) {
  OpTest t("Sum", 13);
  t.AddInput<float>("a", {3}, {3, 0, 2});
  t.AddInput<float>("b", {3}, {1, 3, 4});
  t.AddInput<float>("c", {3}, {2, 6, 6});
  t.AddOutput<float>("s", {3}, {6, 9, 12});
  t.Run();
}

TEST(Sum, OneInput) {
  OpTest t("Sum", 13);
  t.AddInput<float>("a", {2}, {3, -1});
  t.AddOutput<float>("s", {2}, {3, -1});
  t.Run();
}

TEST(Sum, Broadcast) {
  OpTest t("Sum", 13);
  t.AddInput<float>("a", {2, 1}, {1, 2});
  t.AddInput<float>("b", {3}, {10, 20, 30});
  t.AddInput<float>("c", {}, {100});
  t.AddOutput<float>("s", {2, 3}, {111, 121, 131, 112, 122, 132});
  t.Run();
}

TEST(Sum, IncompatibleShapesIsAnError) {
  OpTest t("Sum", 13);
  t.AddInput<float>("a", {2}, {1, 2});
  t.AddInput<float>("b", {3}, {1, 2, 3});
  t.AddOutputUnchecked("s");
  t.RunExpectError("broadcast");
}

}  // namespace onyx::test
