#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Asin, Float) {
  OpTest t("Asin", 7);
  t.AddInput<float>("X", {5}, {-0.899999976f, -0.5f, 0, 0.200000003f, 0.699999988f});
  t.AddOutput<float>("Y", {5}, {-1.11976945f, -0.52359879f, 0, 0.201357931f, 0.77539748f});
  t.Run();
}

TEST(Asin, Double) {
  OpTest u("Asin", 7);
  u.AddInput<double>("X", {5}, {-0.89999997615814209, -0.5, 0, 0.20000000298023224, 0.69999998807907104});
  u.AddOutput<double>("Y", {5},
                      {-1.1197694603016639, -0.52359877559829893, 0, 0.20135792383201759, 0.77539747991811381});
  u.Run();
}

}  // namespace onyx::test
