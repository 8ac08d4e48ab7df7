#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Mish, Float) {
  OpTest t("Mish", 18);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7},
                     {-0.196816206f, -0.30340147f, -0.220743775f, 0, 0.208001375f, 0.865098417f, 2.47139239f});
  t.Run();
}

TEST(Mish, Double) {
  OpTest u("Mish", 18);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7},
                      {-0.19681620390653332, -0.30340146137410895, -0.22074377465173001, 0, 0.20800138168014368,
                       0.86509838826731034, 2.4713923045578809});
  u.Run();
}

}  // namespace onyx::test
