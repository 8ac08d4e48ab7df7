#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Greater, FloatBroadcast) {
  OpTest t("Greater", 13);
  t.AddInput<float>("A", {3}, {1, 2, 3});
  t.AddInput<float>("B", {1}, {2});
  t.AddOutput<bool>("C", {3}, {false, false, true});
  t.Run();
}

TEST(Greater, IntegersAndHalf) {
  OpTest t("Greater", 13);
  t.AddInput<int64_t>("A", {3}, {1, 2, 3});
  t.AddInput<int64_t>("B", {3}, {2, 2, 2});
  t.AddOutput<bool>("C", {3}, {false, false, true});
  t.Run();

  OpTest u("Greater", 13);
  u.AddInput<Float16>("A", {1}, {Float16{FloatToHalf(1.0f)}});
  u.AddInput<Float16>("B", {1}, {Float16{FloatToHalf(2.0f)}});
  u.AddOutput<bool>("C", {1}, {1.0f > 2.0f});
  u.Run();
}

}  // namespace onyx::test
