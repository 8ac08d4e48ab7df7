#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Selu, Float) {
  OpTest t("Selu", 6);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7}, {-1.61378574f, -1.11133075f, -0.691758215f, 0, 0.315210313f, 1.05070102f, 2.62675261f});
  t.Run();
}

TEST(Selu, Double) {
  OpTest u("Selu", 6);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7},
                      {-1.6137857639177853, -1.1113307412864784, -0.69175818996524252, 0, 0.31521031916977194,
                       1.0507010221481323, 2.6267525553703308});
  u.Run();
}

}  // namespace onyx::test
