#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

namespace {
const std::vector<float> kX = {-1.25f, -0.75f, -0.25f, 0.25f, 0.75f, 1.25f,  1.75f,  -1.25f,
                               -0.75f, -0.25f, 0.25f,  0.75f, 1.25f, 1.75f,  -1.25f, -0.75f,
                               -0.25f, 0.25f,  0.75f,  1.25f, 1.75f, -1.25f, -0.75f, -0.25f};
}  // namespace

TEST(ReduceSum, AttributeAxes) {
  OpTest t("ReduceSum", 12);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddAttr("axes", std::vector<int64_t>{1});
  t.AddOutput<float>("Y", {2, 1, 4}, {-1.25f, 0.25f, 1.75f, -0.25f, 2.75f, 0.75f, -1.25f, 0.25f});
  t.Run();

  OpTest u("ReduceSum", 12);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddAttr("axes", std::vector<int64_t>{0, -1});
  u.AddAttr("keepdims", int64_t{0});
  u.AddOutput<float>("Y", {3}, {-1, 4.5f, -0.5f});
  u.Run();
}

TEST(ReduceSum, InputAxes) {
  OpTest t("ReduceSum", 13);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddInput<int64_t>("axes", {1}, {2});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<float>("Y", {2, 3}, {-2, 2.5f, 0, 1, 2, -0.5f});
  t.Run();

  OpTest u("ReduceSum", 13);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddOutput<float>("Y", {1, 1, 1}, {3});
  u.Run();
}

TEST(ReduceSum, EmptySet) {
  OpTest t("ReduceSum", 13);
  t.AddInput<float>("X", {2, 0, 4}, {});
  t.AddConstantInput<int64_t>("axes", {1}, {1});
  t.AddOutput<float>("Y", {2, 1, 4}, std::vector<float>(8, 0));
  t.Run();
}

TEST(ReduceSum, NoopWithEmptyAxes) {
  OpTest t("ReduceSum", 13);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddAttr("noop_with_empty_axes", int64_t{1});
  t.AddOutput<float>("Y", {2}, {1, 2});
  t.Run();
}

TEST(ReduceSum, BadAxisIsAnError) {
  OpTest t("ReduceSum", 13);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<int64_t>("axes", {1}, {-2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("axis");
}

TEST(ReduceSum, Int64) {
  OpTest t("ReduceSum", 13);
  t.AddInput<int64_t>("X", {2, 3}, {1, -2, 3, 4, 5, -6});
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<int64_t>("Y", {2}, {2, 3});
  t.Run();
}

}  // namespace onyx::test
