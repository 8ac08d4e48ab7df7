#include "kernels/op_test.h"

namespace onyx::test {

TEST(LpNormalization, L2AndL1) {
  {
    OpTest t("LpNormalization", 1);
    t.AddInput<float>("X", {2, 2}, {3, 4, 0, 0});
    t.AddOutput<float>("Y", {2, 2}, {0.6f, 0.8f, 0, 0});
    t.Run();
  }
  {
    OpTest t("LpNormalization", 22);
    t.AddInput<double>("X", {2, 2}, {1, 2, -3, 2});
    t.AddAttr("axis", int64_t{0});
    t.AddAttr("p", int64_t{1});
    t.AddOutput<double>("Y", {2, 2}, {0.25, 0.5, -0.75, 0.5});
    t.Run();
  }
}

TEST(LpNormalization, PThreeIsAnError) {
  OpTest t("LpNormalization", 22);
  t.AddInput<float>("X", {1}, {1});
  t.AddAttr("p", int64_t{3});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("p");
}

}  // namespace onyx::test
