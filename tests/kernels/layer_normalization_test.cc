#include "kernels/op_test.h"

namespace onyx::test {

TEST(LayerNormalization, LastAxisWithStatistics) {
  OpTest t("LayerNormalization", 17);
  t.AddInput<float>("X", {2, 2}, {1, 3, 2, 4});
  t.AddInput<float>("Scale", {2}, {1, 2});
  t.AddInput<float>("B", {2}, {0, 1});
  t.AddAttr("epsilon", 0.0f);
  t.SetTolerance(1e-4, 1e-4);
  t.AddOutput<float>("Y", {2, 2}, {-1, 3, -1, 3});
  t.AddOutput<float>("Mean", {2, 1}, {2, 3});
  t.AddOutputUnchecked("InvStdDev");
  t.Run();
}

TEST(LayerNormalization, AxisOutOfRangeIsAnError) {
  OpTest t("LayerNormalization", 17);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<float>("Scale", {2}, {1, 1});
  t.AddAttr("axis", int64_t{3});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("axis");
}

}  // namespace onyx::test
