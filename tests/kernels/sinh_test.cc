#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Sinh, Float) {
  OpTest t("Sinh", 9);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7}, {-6.05020428f, -1.17520118f, -0.521095276f, 0, 0.304520309f, 1.17520118f, 6.05020428f});
  t.Run();
}

TEST(Sinh, Double) {
  OpTest u("Sinh", 9);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7},
                      {-6.0502044810397875, -1.1752011936438014, -0.52109530549374738, 0, 0.30452030590854878,
                       1.1752011936438014, 6.0502044810397875});
  u.Run();
}

}  // namespace onyx::test
