#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Sin, Float) {
  OpTest t("Sin", 7);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7},
                     {-0.598472118f, -0.841470957f, -0.47942555f, 0, 0.295520216f, 0.841470957f, 0.598472118f});
  t.Run();
}

TEST(Sin, Double) {
  OpTest u("Sin", 7);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7},
                      {-0.59847214410395655, -0.8414709848078965, -0.47942553860420301, 0, 0.29552021804983797,
                       0.8414709848078965, 0.59847214410395655});
  u.Run();
}

}  // namespace onyx::test
