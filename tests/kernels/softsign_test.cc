#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Softsign, Float) {
  OpTest t("Softsign", 1);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7}, {-0.714285731f, -0.5f, -0.333333343f, 0, 0.230769232f, 0.5f, 0.714285731f});
  t.Run();
}

TEST(Softsign, Double) {
  OpTest u("Softsign", 1);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>(
      "Y", {7}, {-0.7142857142857143, -0.5, -0.33333333333333331, 0, 0.23076923782303482, 0.5, 0.7142857142857143});
  u.Run();
}

}  // namespace onyx::test
