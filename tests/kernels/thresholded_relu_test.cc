#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(ThresholdedRelu, Float) {
  OpTest t("ThresholdedRelu", 10);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddAttr("alpha", 0.5f);
  t.AddOutput<float>("Y", {7}, {0, 0, 0, 0, 0, 1, 2.5f});
  t.Run();
}

TEST(ThresholdedRelu, Double) {
  OpTest u("ThresholdedRelu", 10);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddAttr("alpha", 0.5f);
  u.AddOutput<double>("Y", {7}, {0, 0, 0, 0, 0, 1, 2.5});
  u.Run();
}

}  // namespace onyx::test
