#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

namespace {
const std::vector<float> kX = {-1.25f, -0.75f, -0.25f, 0.25f, 0.75f, 1.25f,  1.75f,  -1.25f,
                               -0.75f, -0.25f, 0.25f,  0.75f, 1.25f, 1.75f,  -1.25f, -0.75f,
                               -0.25f, 0.25f,  0.75f,  1.25f, 1.75f, -1.25f, -0.75f, -0.25f};
}  // namespace

TEST(ReduceMin, AttributeAxes) {
  OpTest t("ReduceMin", 17);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddAttr("axes", std::vector<int64_t>{1});
  t.AddOutput<float>("Y", {2, 1, 4}, {-1.25f, -0.75f, -0.25f, -1.25f, -0.25f, -1.25f, -1.25f, -0.75f});
  t.Run();

  OpTest u("ReduceMin", 17);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddAttr("axes", std::vector<int64_t>{0, -1});
  u.AddAttr("keepdims", int64_t{0});
  u.AddOutput<float>("Y", {3}, {-1.25f, -1.25f, -1.25f});
  u.Run();
}

TEST(ReduceMin, InputAxes) {
  OpTest t("ReduceMin", 18);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddInput<int64_t>("axes", {1}, {2});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<float>("Y", {2, 3}, {-1.25f, -1.25f, -0.75f, -1.25f, -0.25f, -1.25f});
  t.Run();

  OpTest u("ReduceMin", 18);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddOutput<float>("Y", {1, 1, 1}, {-1.25f});
  u.Run();
}

TEST(ReduceMin, EmptySet) {
  OpTest t("ReduceMin", 18);
  t.AddInput<float>("X", {2, 0, 4}, {});
  t.AddConstantInput<int64_t>("axes", {1}, {1});
  t.AddOutput<float>("Y", {2, 1, 4}, std::vector<float>(8, INFINITY));
  t.Run();
}

TEST(ReduceMin, NoopWithEmptyAxes) {
  OpTest t("ReduceMin", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddAttr("noop_with_empty_axes", int64_t{1});
  t.AddOutput<float>("Y", {2}, {1, 2});
  t.Run();
}

TEST(ReduceMin, BadAxisIsAnError) {
  OpTest t("ReduceMin", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<int64_t>("axes", {1}, {-2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("axis");
}

TEST(ReduceMin, Int64) {
  OpTest t("ReduceMin", 18);
  t.AddInput<int64_t>("X", {2, 3}, {1, -2, 3, 4, 5, -6});
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<int64_t>("Y", {2}, {-2, -6});
  t.Run();
}

TEST(ReduceMin, Bool) {
  OpTest t("ReduceMin", 20);
  t.AddInput<bool>("X", {2, 2}, {true, false, false, false});
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<bool>("Y", {2}, {false, false});
  t.Run();
}

}  // namespace onyx::test
