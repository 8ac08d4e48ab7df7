#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Atan, Float) {
  OpTest t("Atan", 7);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7},
                     {-1.19028997f, -0.785398185f, -0.463647604f, 0, 0.291456819f, 0.785398185f, 1.19028997f});
  t.Run();
}

TEST(Atan, Double) {
  OpTest u("Atan", 7);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7},
                      {-1.1902899496825317, -0.78539816339744828, -0.46364760900080609, 0, 0.29145680541449914,
                       0.78539816339744828, 1.1902899496825317});
  u.Run();
}

}  // namespace onyx::test
