#include "kernels/op_test.h"

namespace onyx::test {

TEST(Add, SameShape) {
  OpTest t("Add", 14);
  t.AddInput<float>("A", {2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("B", {2, 2}, {10, 20, 30, 40});
  t.AddOutput<float>("C", {2, 2}, {11, 22, 33, 44});
  t.Run();
}

TEST(Add, BroadcastRowAndScalar) {
  OpTest t("Add", 13);
  t.AddInput<float>("A", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<float>("B", {3}, {10, 20, 30});
  t.AddOutput<float>("C", {2, 3}, {11, 22, 33, 14, 25, 36});
  t.Run();

  OpTest s("Add", 13);
  s.AddInput<int32_t>("A", {}, {5});
  s.AddInput<int32_t>("B", {2, 2}, {1, 2, 3, 4});
  s.AddOutput<int32_t>("C", {2, 2}, {6, 7, 8, 9});
  s.Run();
}

TEST(Add, BroadcastBothWays) {
  OpTest t("Add", 14);
  t.AddInput<int64_t>("A", {2, 1, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int64_t>("B", {2, 1}, {10, 20});
  t.AddOutput<int64_t>("C", {2, 2, 3}, {11, 12, 13, 21, 22, 23, 14, 15, 16, 24, 25, 26});
  t.Run();
}

TEST(Add, MiddleDimBroadcast) {
  OpTest t("Add", 14);
  t.AddInput<double>("A", {2, 3, 2}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  t.AddInput<double>("B", {1, 3, 1}, {100, 200, 300});
  t.AddOutput<double>("C", {2, 3, 2}, {100, 101, 202, 203, 304, 305, 106, 107, 208, 209, 310, 311});
  t.Run();
}

TEST(Add, IntegersWrap) {
  OpTest t("Add", 14);
  t.AddInput<int8_t>("A", {2}, {127, -128});
  t.AddInput<int8_t>("B", {2}, {1, -1});
  t.AddOutput<int8_t>("C", {2}, {-128, 127});
  t.Run();
}

TEST(Add, Float16) {
  OpTest t("Add", 14);
  t.AddInput<Float16>("A", {2}, {Float16{FloatToHalf(1.5f)}, Float16{FloatToHalf(-2.0f)}});
  t.AddInput<Float16>("B", {2}, {Float16{FloatToHalf(0.25f)}, Float16{FloatToHalf(0.5f)}});
  t.AddOutput<Float16>("C", {2}, {Float16{FloatToHalf(1.75f)}, Float16{FloatToHalf(-1.5f)}});
  t.Run();
}

TEST(Add, LegacyAxisBroadcast) {
  OpTest t("Add", 6);
  t.AddInput<float>("A", {2, 3, 2}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  t.AddInput<float>("B", {3}, {100, 200, 300});
  t.AddAttr("broadcast", int64_t{1});
  t.AddAttr("axis", int64_t{1});
  t.AddOutput<float>("C", {2, 3, 2}, {100, 101, 202, 203, 304, 305, 106, 107, 208, 209, 310, 311});
  t.Run();
}

TEST(Add, LegacyTrailingBroadcast) {
  OpTest t("Add", 1);
  t.AddInput<float>("A", {2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("B", {2}, {10, 20});
  t.AddAttr("broadcast", int64_t{1});
  t.AddOutput<float>("C", {2, 2}, {11, 22, 13, 24});
  t.Run();
}

TEST(Add, LargeParallel) {
  const int64_t n = 100000;
  std::vector<float> a(n), b(n), c(n);
  for (int64_t i = 0; i < n; ++i) {
    a[i] = static_cast<float>(i);
    b[i] = 1.0f;
    c[i] = static_cast<float>(i) + 1.0f;
  }
  OpTest t("Add", 14);
  t.AddInput<float>("A", {n}, a);
  t.AddInput<float>("B", {n}, b);
  t.AddOutput<float>("C", {n}, c);
  t.Run();
}

TEST(Add, IncompatibleShapesIsAnError) {
  OpTest t("Add", 14);
  t.AddInput<float>("A", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<float>("B", {2}, {1, 2});
  t.AddOutputUnchecked("C");
  t.RunExpectError("broadcast");
}

TEST(Add, LegacyNoBroadcastNeedsEqualShapes) {
  OpTest t("Add", 6);
  t.AddInput<float>("A", {2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("B", {2}, {1, 2});
  t.AddOutputUnchecked("C");
  t.RunExpectError("broadcast");
}

}  // namespace onyx::test
