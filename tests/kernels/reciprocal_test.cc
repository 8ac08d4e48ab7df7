#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Reciprocal, Float) {
  OpTest t("Reciprocal", 13);
  t.AddInput<float>("X", {4}, {0.5f, 1, 2, 3.5f});
  t.AddOutput<float>("Y", {4}, {2, 1, 0.5f, 0.285714298f});
  t.Run();
}

TEST(Reciprocal, Double) {
  OpTest u("Reciprocal", 13);
  u.AddInput<double>("X", {4}, {0.5, 1, 2, 3.5});
  u.AddOutput<double>("Y", {4}, {2, 1, 0.5, 0.2857142857142857});
  u.Run();
}

}  // namespace onyx::test
