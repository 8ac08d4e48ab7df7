#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Cos, Float) {
  OpTest t("Cos", 7);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7},
                     {-0.801143587f, 0.540302277f, 0.87758255f, 1, 0.955336511f, 0.540302277f, -0.801143587f});
  t.Run();
}

TEST(Cos, Double) {
  OpTest u("Cos", 7);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7},
                      {-0.8011436155469337, 0.54030230586813977, 0.87758256189037276, 1, 0.95533648560273055,
                       0.54030230586813977, -0.8011436155469337});
  u.Run();
}

}  // namespace onyx::test
