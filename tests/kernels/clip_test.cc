#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Clip, Inputs) {
  OpTest t("Clip", 13);
  t.AddInput<float>("X", {4}, {-2, 0.5f, 3, 10});
  t.AddInput<float>("min", {}, {0});
  t.AddInput<float>("max", {}, {5});
  t.AddOutput<float>("Y", {4}, {0, 0.5f, 3, 5});
  t.Run();
}

TEST(Clip, OmittedBounds) {
  OpTest t("Clip", 13);
  t.AddInput<int32_t>("X", {3}, {-20, 0, 20});
  t.AddMissingInput();
  t.AddInput<int32_t>("max", {}, {5});
  t.AddOutput<int32_t>("Y", {3}, {-20, 0, 5});
  t.Run();

  OpTest u("Clip", 13);
  u.AddInput<float>("X", {2}, {-1, 1});
  u.AddOutput<float>("Y", {2}, {-1, 1});
  u.Run();
}

TEST(Clip, Attributes) {
  OpTest t("Clip", 6);
  t.AddInput<float>("X", {3}, {-2, 0.5f, 3});
  t.AddAttr("min", -1.0f);
  t.AddAttr("max", 1.0f);
  t.AddOutput<float>("Y", {3}, {-1, 0.5f, 1});
  t.Run();
}

TEST(Clip, NonScalarBoundIsAnError) {
  OpTest t("Clip", 13);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<float>("min", {2}, {0, 0});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("scalar");
}

}  // namespace onyx::test
