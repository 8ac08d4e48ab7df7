#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(GreaterOrEqual, FloatBroadcast) {
  OpTest t("GreaterOrEqual", 16);
  t.AddInput<float>("A", {3}, {1, 2, 3});
  t.AddInput<float>("B", {1}, {2});
  t.AddOutput<bool>("C", {3}, {false, true, true});
  t.Run();
}

TEST(GreaterOrEqual, IntegersAndHalf) {
  OpTest t("GreaterOrEqual", 16);
  t.AddInput<int64_t>("A", {3}, {1, 2, 3});
  t.AddInput<int64_t>("B", {3}, {2, 2, 2});
  t.AddOutput<bool>("C", {3}, {false, true, true});
  t.Run();

  OpTest u("GreaterOrEqual", 16);
  u.AddInput<Float16>("A", {1}, {Float16{FloatToHalf(1.0f)}});
  u.AddInput<Float16>("B", {1}, {Float16{FloatToHalf(2.0f)}});
  u.AddOutput<bool>("C", {1}, {1.0f >= 2.0f});
  u.Run();
}

}  // namespace onyx::test
