#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Asinh, Float) {
  OpTest t("Asinh", 9);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7}, {-1.6472311f, -0.881373584f, -0.481211811f, 0, 0.295673072f, 0.881373584f, 1.6472311f});
  t.Run();
}

TEST(Asinh, Double) {
  OpTest u("Asinh", 9);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7},
                      {-1.6472311463710958, -0.88137358701954305, -0.48121182505960347, 0, 0.29567305898160151,
                       0.88137358701954305, 1.6472311463710958});
  u.Run();
}

}  // namespace onyx::test
