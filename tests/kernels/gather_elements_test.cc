#include "kernels/op_test.h"

namespace onyx::test {

TEST(GatherElements, Axis1) {
  OpTest t("GatherElements", 13);
  t.AddAttr("axis", int64_t{1});
  t.AddInput<float>("data", {2, 2}, {1, 2, 3, 4});
  t.AddInput<int64_t>("indices", {2, 2}, {0, 0, 1, 0});
  t.AddOutput<float>("output", {2, 2}, {1, 1, 4, 3});
  t.Run();
}

TEST(GatherElements, Axis0NegativeInt32) {
  OpTest t("GatherElements", 13);
  t.AddInput<int32_t>("data", {3, 2}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int32_t>("indices", {1, 2}, {-1, 0});
  t.AddOutput<int32_t>("output", {1, 2}, {5, 2});
  t.Run();
}

TEST(GatherElements, OutOfRangeIsAnError) {
  OpTest t("GatherElements", 13);
  t.AddInput<float>("data", {2}, {1, 2});
  t.AddInput<int64_t>("indices", {1}, {2});
  t.AddOutputUnchecked("output");
  t.RunExpectError("out of range");
}

}  // namespace onyx::test
