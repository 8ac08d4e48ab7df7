#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Tan, Float) {
  OpTest t("Tan", 7);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7},
                     {0.747022271f, -1.55740774f, -0.546302497f, 0, 0.309336275f, 1.55740774f, -0.747022271f});
  t.Run();
}

TEST(Tan, Double) {
  OpTest u("Tan", 7);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7},
                      {0.74702229723866032, -1.5574077246549023, -0.54630248984379048, 0, 0.30933626267125297,
                       1.5574077246549023, -0.74702229723866032});
  u.Run();
}

}  // namespace onyx::test
