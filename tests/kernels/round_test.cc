#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Round, Float) {
  OpTest t("Round", 11);
  t.AddInput<float>("X", {7}, {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 1.20000005f, -2.70000005f});
  t.AddOutput<float>("Y", {7}, {0, 2, 2, -0, -2, 1, -3});
  t.Run();
}

TEST(Round, Double) {
  OpTest u("Round", 11);
  u.AddInput<double>("X", {7}, {0.5, 1.5, 2.5, -0.5, -1.5, 1.2000000476837158, -2.7000000476837158});
  u.AddOutput<double>("Y", {7}, {0, 2, 2, -0, -2, 1, -3});
  u.Run();
}

}  // namespace onyx::test
