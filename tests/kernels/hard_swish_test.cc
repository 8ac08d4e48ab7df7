#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(HardSwish, Float) {
  OpTest t("HardSwish", 14);
  t.AddInput<float>("X", {7}, {-7.5f, -3, -1.5f, 0, 0.900000036f, 3, 7.5f});
  t.AddOutput<float>("Y", {7}, {-0, -0, -0.375f, 0, 0.585000038f, 3, 7.5f});
  t.Run();
}

TEST(HardSwish, Double) {
  OpTest u("HardSwish", 14);
  u.AddInput<double>("X", {7}, {-7.5, -3, -1.5, 0, 0.90000003576278687, 3, 7.5});
  u.AddOutput<double>("Y", {7}, {-0, -0, -0.375, 0, 0.58500002861022971, 3, 7.5});
  u.Run();
}

}  // namespace onyx::test
