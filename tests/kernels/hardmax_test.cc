#include "kernels/op_test.h"

namespace onyx::test {

namespace {
const std::vector<float> kX = {-0.699999988f, -0.366666645f, -0.0333333015f, 0.300000012f, 0.633333385f,
                               -0.699999988f, -0.366666645f, -0.0333333015f, 0.300000012f, 0.633333385f,
                               -0.699999988f, -0.366666645f, -0.0333333015f, 0.300000012f, 0.633333385f,
                               -0.699999988f, -0.366666645f, -0.0333333015f, 0.300000012f, 0.633333385f,
                               -0.699999988f, -0.366666645f, -0.0333333015f, 0.300000012f};
}  // namespace

TEST(Hardmax, DefaultAxis) {
  OpTest t("Hardmax", 13);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddOutput<float>("Y", {2, 3, 4}, {0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1});
  t.Run();
}

TEST(Hardmax, MiddleAxis) {
  OpTest t("Hardmax", 13);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddAttr("axis", int64_t{1});
  t.AddOutput<float>("Y", {2, 3, 4}, {0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0});
  t.Run();
}

TEST(Hardmax, Opset11CoercesTo2DAndTiesPickFirst) {
  OpTest t("Hardmax", 11);
  t.AddInput<float>("X", {2, 1, 2}, {3, 3, 1, 2});
  t.AddOutput<float>("Y", {2, 1, 2}, {1, 0, 0, 1});
  t.Run();
}

}  // namespace onyx::test
