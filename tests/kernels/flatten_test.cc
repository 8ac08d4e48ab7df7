#include "kernels/op_test.h"

namespace onyx::test {

TEST(Flatten, DefaultAxis) {
  OpTest t("Flatten", 13);
  t.AddInput<float>("input", {2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  t.AddOutput<float>("output", {2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  t.Run();
}

TEST(Flatten, AxisZeroAndNegative) {
  OpTest t("Flatten", 13);
  t.AddAttr("axis", int64_t{0});
  t.AddInput<int8_t>("input", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddOutput<int8_t>("output", {1, 6}, {1, 2, 3, 4, 5, 6});
  t.Run();
  OpTest n("Flatten", 13);
  n.AddAttr("axis", int64_t{-1});
  n.AddInput<int8_t>("input", {2, 1, 3}, {1, 2, 3, 4, 5, 6});
  n.AddOutput<int8_t>("output", {2, 3}, {1, 2, 3, 4, 5, 6});
  n.Run();
}

TEST(Flatten, AxisOutOfRangeIsAnError) {
  OpTest t("Flatten", 13);
  t.AddAttr("axis", int64_t{3});
  t.AddInput<float>("input", {2, 2}, {1, 2, 3, 4});
  t.AddOutputUnchecked("output");
  t.RunExpectError("out of range");
}

}  // namespace onyx::test
