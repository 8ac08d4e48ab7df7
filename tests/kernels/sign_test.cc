#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Sign, Float) {
  OpTest t("Sign", 13);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7}, {-1, -1, -1, 0, 1, 1, 1});
  t.Run();
}

TEST(Sign, Double) {
  OpTest u("Sign", 13);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7}, {-1, -1, -1, 0, 1, 1, 1});
  u.Run();
}

TEST(Sign, Integers) {
  OpTest t("Sign", 13);
  t.AddInput<int64_t>("X", {3}, {-30, 0, 4});
  t.AddOutput<int64_t>("Y", {3}, {-1, 0, 1});
  t.Run();
}

}  // namespace onyx::test
