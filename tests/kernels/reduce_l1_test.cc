#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

namespace {
const std::vector<float> kX = {-1.25f, -0.75f, -0.25f, 0.25f, 0.75f, 1.25f,  1.75f,  -1.25f,
                               -0.75f, -0.25f, 0.25f,  0.75f, 1.25f, 1.75f,  -1.25f, -0.75f,
                               -0.25f, 0.25f,  0.75f,  1.25f, 1.75f, -1.25f, -0.75f, -0.25f};
}  // namespace

TEST(ReduceL1, AttributeAxes) {
  OpTest t("ReduceL1", 17);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddAttr("axes", std::vector<int64_t>{1});
  t.AddOutput<float>("Y", {2, 1, 4}, {2.75f, 2.25f, 2.25f, 2.25f, 3.25f, 3.25f, 2.75f, 2.25f});
  t.Run();

  OpTest u("ReduceL1", 17);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddAttr("axes", std::vector<int64_t>{0, -1});
  u.AddAttr("keepdims", int64_t{0});
  u.AddOutput<float>("Y", {3}, {7.5f, 7.5f, 6});
  u.Run();
}

TEST(ReduceL1, InputAxes) {
  OpTest t("ReduceL1", 18);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddInput<int64_t>("axes", {1}, {2});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<float>("Y", {2, 3}, {2.5f, 5, 2, 5, 2.5f, 4});
  t.Run();

  OpTest u("ReduceL1", 18);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddOutput<float>("Y", {1, 1, 1}, {21});
  u.Run();
}

TEST(ReduceL1, EmptySet) {
  OpTest t("ReduceL1", 18);
  t.AddInput<float>("X", {2, 0, 4}, {});
  t.AddConstantInput<int64_t>("axes", {1}, {1});
  t.AddOutput<float>("Y", {2, 1, 4}, std::vector<float>(8, 0));
  t.Run();
}

TEST(ReduceL1, NoopWithEmptyAxes) {
  OpTest t("ReduceL1", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddAttr("noop_with_empty_axes", int64_t{1});
  t.AddOutput<float>("Y", {2}, {1, 2});
  t.Run();
}

TEST(ReduceL1, BadAxisIsAnError) {
  OpTest t("ReduceL1", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<int64_t>("axes", {1}, {-2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("axis");
}

TEST(ReduceL1, Int64) {
  OpTest t("ReduceL1", 18);
  t.AddInput<int64_t>("X", {2, 3}, {1, -2, 3, 4, 5, -6});
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<int64_t>("Y", {2}, {6, 15});
  t.Run();
}

}  // namespace onyx::test
