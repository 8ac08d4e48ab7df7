#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(LeakyRelu, Float) {
  OpTest t("LeakyRelu", 16);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddAttr("alpha", 0.1f);
  t.AddOutput<float>("Y", {7}, {-0.25f, -0.100000001f, -0.0500000007f, 0, 0.300000012f, 1, 2.5f});
  t.Run();
}

TEST(LeakyRelu, Double) {
  OpTest u("LeakyRelu", 16);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddAttr("alpha", 0.1f);
  u.AddOutput<double>("Y", {7}, {-0.25, -0.10000000000000001, -0.050000000000000003, 0, 0.30000001192092896, 1, 2.5});
  u.Run();
}

}  // namespace onyx::test
