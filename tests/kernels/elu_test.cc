#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Elu, Float) {
  OpTest t("Elu", 6);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddAttr("alpha", 2.0f);
  t.AddOutput<float>("Y", {7}, {-1.83582997f, -1.2642411f, -0.786938667f, 0, 0.300000012f, 1, 2.5f});
  t.Run();
}

TEST(Elu, Double) {
  OpTest u("Elu", 6);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddAttr("alpha", 2.0f);
  u.AddOutput<double>("Y", {7},
                      {-1.8358300027522023, -1.2642411176571153, -0.78693868057473315, 0, 0.30000001192092896, 1, 2.5});
  u.Run();
}

}  // namespace onyx::test
