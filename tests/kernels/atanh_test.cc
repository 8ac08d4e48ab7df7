#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Atanh, Float) {
  OpTest t("Atanh", 9);
  t.AddInput<float>("X", {5}, {-0.899999976f, -0.5f, 0, 0.200000003f, 0.699999988f});
  t.AddOutput<float>("Y", {5}, {-1.47221935f, -0.549306154f, 0, 0.202732563f, 0.86730051f});
  t.Run();
}

TEST(Atanh, Double) {
  OpTest u("Atanh", 9);
  u.AddInput<double>("X", {5}, {-0.89999997615814209, -0.5, 0, 0.20000000298023224, 0.69999998807907104});
  u.AddOutput<double>("Y", {5},
                      {-1.4722193640997716, -0.54930614433405489, 0, 0.20273255715849078, 0.86730050431968309});
  u.Run();
}

}  // namespace onyx::test
