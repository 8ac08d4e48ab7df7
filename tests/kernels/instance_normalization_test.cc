#include "kernels/op_test.h"

namespace onyx::test {

TEST(InstanceNormalization, PerPlane) {
  // Plane {1,3}: mean 2, var 1 -> {-1, 1}; scaled by 2 and shifted by 1 / by 1
  // and 0.
  OpTest t("InstanceNormalization", 6);
  t.AddInput<float>("X", {1, 2, 2}, {1, 3, 5, 9});
  t.AddInput<float>("scale", {2}, {2, 1});
  t.AddInput<float>("B", {2}, {1, 0});
  t.AddAttr("epsilon", 0.0f);
  t.AddOutput<float>("Y", {1, 2, 2}, {-1, 3, -1, 1});
  t.Run();
}

TEST(InstanceNormalization, ScaleLengthIsChecked) {
  OpTest t("InstanceNormalization", 22);
  t.AddInput<float>("X", {1, 2, 2}, {1, 3, 5, 9});
  t.AddInput<float>("scale", {1}, {2});
  t.AddInput<float>("B", {2}, {1, 0});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("scale");
}

}  // namespace onyx::test
