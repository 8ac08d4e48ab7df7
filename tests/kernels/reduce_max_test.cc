#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

namespace {
const std::vector<float> kX = {-1.25f, -0.75f, -0.25f, 0.25f, 0.75f, 1.25f,  1.75f,  -1.25f,
                               -0.75f, -0.25f, 0.25f,  0.75f, 1.25f, 1.75f,  -1.25f, -0.75f,
                               -0.25f, 0.25f,  0.75f,  1.25f, 1.75f, -1.25f, -0.75f, -0.25f};
}  // namespace

TEST(ReduceMax, AttributeAxes) {
  OpTest t("ReduceMax", 17);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddAttr("axes", std::vector<int64_t>{1});
  t.AddOutput<float>("Y", {2, 1, 4}, {0.75f, 1.25f, 1.75f, 0.75f, 1.75f, 1.75f, 0.75f, 1.25f});
  t.Run();

  OpTest u("ReduceMax", 17);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddAttr("axes", std::vector<int64_t>{0, -1});
  u.AddAttr("keepdims", int64_t{0});
  u.AddOutput<float>("Y", {3}, {1.75f, 1.75f, 1.75f});
  u.Run();
}

TEST(ReduceMax, InputAxes) {
  OpTest t("ReduceMax", 18);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddInput<int64_t>("axes", {1}, {2});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<float>("Y", {2, 3}, {0.25f, 1.75f, 0.75f, 1.75f, 1.25f, 1.75f});
  t.Run();

  OpTest u("ReduceMax", 18);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddOutput<float>("Y", {1, 1, 1}, {1.75f});
  u.Run();
}

TEST(ReduceMax, EmptySet) {
  OpTest t("ReduceMax", 18);
  t.AddInput<float>("X", {2, 0, 4}, {});
  t.AddConstantInput<int64_t>("axes", {1}, {1});
  t.AddOutput<float>("Y", {2, 1, 4}, std::vector<float>(8, -INFINITY));
  t.Run();
}

TEST(ReduceMax, NoopWithEmptyAxes) {
  OpTest t("ReduceMax", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddAttr("noop_with_empty_axes", int64_t{1});
  t.AddOutput<float>("Y", {2}, {1, 2});
  t.Run();
}

TEST(ReduceMax, BadAxisIsAnError) {
  OpTest t("ReduceMax", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<int64_t>("axes", {1}, {-2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("axis");
}

TEST(ReduceMax, Int64) {
  OpTest t("ReduceMax", 18);
  t.AddInput<int64_t>("X", {2, 3}, {1, -2, 3, 4, 5, -6});
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<int64_t>("Y", {2}, {3, 5});
  t.Run();
}

TEST(ReduceMax, Bool) {
  OpTest t("ReduceMax", 20);
  t.AddInput<bool>("X", {2, 2}, {true, false, false, false});
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<bool>("Y", {2}, {true, false});
  t.Run();
}

}  // namespace onyx::test
