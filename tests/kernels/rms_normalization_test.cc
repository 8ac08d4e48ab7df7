#include "kernels/op_test.h"

namespace onyx::test {

TEST(RMSNormalization, LastAxisWithScale) {
  OpTest t("RMSNormalization", 23);
  t.AddInput<float>("X", {2, 3}, {1, 2, 3, -1, 0.5f, 4});
  t.AddInput<float>("scale", {3}, {1, 2, 0.5f});
  t.AddOutput<float>("Y", {2, 3}, {0.46291f, 1.85164f, 0.694364f, -0.417028f, 0.417028f, 0.834057f});
  t.Run();
}

TEST(RMSNormalization, Double) {
  OpTest t("RMSNormalization", 23);
  t.AddAttr("axis", int64_t{0});
  t.AddAttr("epsilon", 0.0f);
  t.AddInput<double>("X", {2}, {3, 4});
  t.AddInput<double>("scale", {1}, {1});
  t.AddOutput<double>("Y", {2}, {0.848528, 1.131371});
  t.Run();
}

TEST(RMSNormalization, AxisOutOfRangeIsAnError) {
  OpTest t("RMSNormalization", 23);
  t.AddAttr("axis", int64_t{2});
  t.AddInput<float>("X", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<float>("scale", {3}, {1, 1, 1});
  t.AddOutput<float>("Y", {2, 3}, {0, 0, 0, 0, 0, 0});
  t.RunExpectError("axis");
}

}  // namespace onyx::test
