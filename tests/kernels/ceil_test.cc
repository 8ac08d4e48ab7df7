#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Ceil, Float) {
  OpTest t("Ceil", 13);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7}, {-2, -1, -0, 0, 1, 1, 3});
  t.Run();
}

TEST(Ceil, Double) {
  OpTest u("Ceil", 13);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7}, {-2, -1, -0, 0, 1, 1, 3});
  u.Run();
}

}  // namespace onyx::test
