#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Erf, Float) {
  OpTest t("Erf", 13);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7},
                     {-0.999593019f, -0.842700779f, -0.520499885f, 0, 0.328626782f, 0.842700779f, 0.999593019f});
  t.Run();
}

TEST(Erf, Double) {
  OpTest u("Erf", 13);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7},
                      {-0.99959304798255499, -0.84270079294971489, -0.52049987781304652, 0, 0.32862677175271543,
                       0.84270079294971489, 0.99959304798255499});
  u.Run();
}

TEST(Erf, Integers) {
  OpTest t("Erf", 13);
  t.AddInput<int32_t>("X", {3}, {-3, 0, 4});
  t.AddOutput<int32_t>("Y", {3}, {0, 0, 0});
  t.Run();
}

}  // namespace onyx::test
