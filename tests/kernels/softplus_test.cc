#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Softplus, Float) {
  OpTest t("Softplus", 1);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7},
                     {0.078889735f, 0.313261688f, 0.474076986f, 0.693147182f, 0.854355276f, 1.31326163f, 2.57888985f});
  t.Run();
}

TEST(Softplus, Double) {
  OpTest u("Softplus", 1);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7},
                      {0.078889734292549626, 0.31326168751822286, 0.47407698418010669, 0.69314718055994529,
                       0.85435525131641554, 1.3132616875182228, 2.5788897342925496});
  u.Run();
}

}  // namespace onyx::test
