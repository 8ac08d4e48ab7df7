#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

namespace {
const std::vector<float> kX = {-1.25f, -0.75f, -0.25f, 0.25f, 0.75f, 1.25f,  1.75f,  -1.25f,
                               -0.75f, -0.25f, 0.25f,  0.75f, 1.25f, 1.75f,  -1.25f, -0.75f,
                               -0.25f, 0.25f,  0.75f,  1.25f, 1.75f, -1.25f, -0.75f, -0.25f};
}  // namespace

TEST(ReduceProd, AttributeAxes) {
  OpTest t("ReduceProd", 17);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddAttr("axes", std::vector<int64_t>{1});
  t.AddOutput<float>("Y", {2, 1, 4},
                     {0.703125f, 0.234375f, -0.109375f, -0.234375f, -0.546875f, -0.546875f, 0.703125f, 0.234375f});
  t.Run();

  OpTest u("ReduceProd", 17);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddAttr("axes", std::vector<int64_t>{0, -1});
  u.AddAttr("keepdims", int64_t{0});
  u.AddOutput<float>("Y", {3}, {-0.120162964f, 0.120162964f, -0.0144195557f});
  u.Run();
}

TEST(ReduceProd, InputAxes) {
  OpTest t("ReduceProd", 18);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddInput<int64_t>("axes", {1}, {2});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<float>("Y", {2, 3}, {-0.05859375f, -2.05078125f, 0.03515625f, 2.05078125f, -0.05859375f, -0.41015625f});
  t.Run();

  OpTest u("ReduceProd", 18);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddOutput<float>("Y", {1, 1, 1}, {0.000208205951f});
  u.Run();
}

TEST(ReduceProd, EmptySet) {
  OpTest t("ReduceProd", 18);
  t.AddInput<float>("X", {2, 0, 4}, {});
  t.AddConstantInput<int64_t>("axes", {1}, {1});
  t.AddOutput<float>("Y", {2, 1, 4}, std::vector<float>(8, 1));
  t.Run();
}

TEST(ReduceProd, NoopWithEmptyAxes) {
  OpTest t("ReduceProd", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddAttr("noop_with_empty_axes", int64_t{1});
  t.AddOutput<float>("Y", {2}, {1, 2});
  t.Run();
}

TEST(ReduceProd, BadAxisIsAnError) {
  OpTest t("ReduceProd", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<int64_t>("axes", {1}, {-2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("axis");
}

TEST(ReduceProd, Int64) {
  OpTest t("ReduceProd", 18);
  t.AddInput<int64_t>("X", {2, 3}, {1, -2, 3, 4, 5, -6});
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<int64_t>("Y", {2}, {-6, -120});
  t.Run();
}

}  // namespace onyx::test
