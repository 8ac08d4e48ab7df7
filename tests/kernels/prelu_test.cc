#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(PRelu, ChannelSlope) {
  OpTest t("PRelu", 16);
  t.AddInput<float>("X", {1, 2, 2}, {-1, 2, -3, 4});
  t.AddInput<float>("slope", {2, 1}, {0.5f, 0.1f});
  t.AddOutput<float>("Y", {1, 2, 2}, {-0.5f, 2, -0.3f, 4});
  t.Run();
}

TEST(PRelu, ScalarSlopeAndInt) {
  OpTest t("PRelu", 16);
  t.AddInput<int32_t>("X", {3}, {-4, 0, 4});
  t.AddInput<int32_t>("slope", {1}, {2});
  t.AddOutput<int32_t>("Y", {3}, {-8, 0, 4});
  t.Run();
}

TEST(PRelu, SlopeMustBroadcastToInput) {
  OpTest t("PRelu", 16);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<float>("slope", {2, 2}, {1, 2, 3, 4});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("slope");
}

}  // namespace onyx::test

namespace onyx::test {
// Before opset 7, a 1-D slope with one value per channel applies along axis 1 (pytorch-converted models).
TEST(PRelu, LegacyPerChannelSlope) {
  OpTest t("PRelu", 6);
  t.AddInput<float>("X", {1, 2, 2}, {-1, 2, -3, 4});
  t.AddConstantInput<float>("slope", {2}, {0.5f, 0.25f});
  t.AddOutput<float>("Y", {1, 2, 2}, {-0.5f, 2, -0.75f, 4});
  t.Run();
}
}  // namespace onyx::test
