#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Celu, Float) {
  OpTest t("Celu", 12);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddAttr("alpha", 1.5f);
  t.AddOutput<float>("Y", {7}, {-1.21668661f, -0.729874313f, -0.425203025f, 0, 0.300000012f, 1, 2.5f});
  t.Run();
}

TEST(Celu, Double) {
  OpTest u("Celu", 12);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddAttr("alpha", 1.5f);
  u.AddOutput<double>(
      "Y", {7}, {-1.2166865957436572, -0.72987432145111197, -0.42520303413931609, 0, 0.30000001192092896, 1, 2.5});
  u.Run();
}

TEST(Celu, ZeroAlphaIsAnError) {
  OpTest t("Celu", 12);
  t.AddInput<float>("X", {1}, {1});
  t.AddAttr("alpha", 0.0f);
  t.AddOutputUnchecked("Y");
  t.RunExpectError("alpha");
}

}  // namespace onyx::test
