#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(HardSigmoid, Float) {
  OpTest t("HardSigmoid", 6);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7}, {0, 0.300000012f, 0.400000006f, 0.5f, 0.560000002f, 0.699999988f, 1});
  t.Run();
}

TEST(HardSigmoid, Double) {
  OpTest u("HardSigmoid", 6);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7},
                      {0, 0.29999999999999999, 0.40000000000000002, 0.5, 0.56000000238418579, 0.69999999999999996, 1});
  u.Run();
}

}  // namespace onyx::test
