#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Acos, Float) {
  OpTest t("Acos", 7);
  t.AddInput<float>("X", {5}, {-0.899999976f, -0.5f, 0, 0.200000003f, 0.699999988f});
  t.AddOutput<float>("Y", {5}, {2.69056582f, 2.09439516f, 1.57079637f, 1.36943841f, 0.795398831f});
  t.Run();
}

TEST(Acos, Double) {
  OpTest u("Acos", 7);
  u.AddInput<double>("X", {5}, {-0.89999997615814209, -0.5, 0, 0.20000000298023224, 0.69999998807907104});
  u.AddOutput<double>(
      "Y", {5}, {2.6905657870965607, 2.0943951023931957, 1.5707963267948966, 1.369438402962879, 0.79539884687678275});
  u.Run();
}

}  // namespace onyx::test
