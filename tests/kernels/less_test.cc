#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Less, FloatBroadcast) {
  OpTest t("Less", 13);
  t.AddInput<float>("A", {3}, {1, 2, 3});
  t.AddInput<float>("B", {1}, {2});
  t.AddOutput<bool>("C", {3}, {true, false, false});
  t.Run();
}

TEST(Less, IntegersAndHalf) {
  OpTest t("Less", 13);
  t.AddInput<int64_t>("A", {3}, {1, 2, 3});
  t.AddInput<int64_t>("B", {3}, {2, 2, 2});
  t.AddOutput<bool>("C", {3}, {true, false, false});
  t.Run();

  OpTest u("Less", 13);
  u.AddInput<Float16>("A", {1}, {Float16{FloatToHalf(1.0f)}});
  u.AddInput<Float16>("B", {1}, {Float16{FloatToHalf(2.0f)}});
  u.AddOutput<bool>("C", {1}, {1.0f < 2.0f});
  u.Run();
}

TEST(Less, LegacyBroadcast) {
  OpTest t("Less", 1);
  t.AddInput<float>("A", {2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("B", {2}, {2, 3});
  t.AddAttr("broadcast", int64_t{1});
  t.AddAttr("axis", int64_t{0});
  t.AddOutput<bool>("C", {2, 2}, {true, false, false, false});
  t.Run();
}

}  // namespace onyx::test
