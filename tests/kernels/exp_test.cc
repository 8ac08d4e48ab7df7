#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Exp, Float) {
  OpTest t("Exp", 13);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7}, {0.0820849985f, 0.36787945f, 0.606530666f, 1, 1.34985888f, 2.71828175f, 12.1824942f});
  t.Run();
}

TEST(Exp, Double) {
  OpTest u("Exp", 13);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7},
                      {0.0820849986238988, 0.36787944117144233, 0.60653065971263342, 1, 1.3498588236675741,
                       2.7182818284590451, 12.182493960703473});
  u.Run();
}

}  // namespace onyx::test
