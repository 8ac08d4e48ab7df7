#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Cosh, Float) {
  OpTest t("Cosh", 9);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7}, {6.13228941f, 1.54308069f, 1.12762594f, 1, 1.04533851f, 1.54308069f, 6.13228941f});
  t.Run();
}

TEST(Cosh, Double) {
  OpTest u("Cosh", 9);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7},
                      {6.1322894796636858, 1.5430806348152437, 1.1276259652063807, 1, 1.0453385177590253,
                       1.5430806348152437, 6.1322894796636858});
  u.Run();
}

}  // namespace onyx::test
