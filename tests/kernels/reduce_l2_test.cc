#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

namespace {
const std::vector<float> kX = {-1.25f, -0.75f, -0.25f, 0.25f, 0.75f, 1.25f,  1.75f,  -1.25f,
                               -0.75f, -0.25f, 0.25f,  0.75f, 1.25f, 1.75f,  -1.25f, -0.75f,
                               -0.25f, 0.25f,  0.75f,  1.25f, 1.75f, -1.25f, -0.75f, -0.25f};
}  // namespace

TEST(ReduceL2, AttributeAxes) {
  OpTest t("ReduceL2", 17);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddAttr("axes", std::vector<int64_t>{1});
  t.AddOutput<float>("Y", {2, 1, 4},
                     {1.63935959f, 1.47902f, 1.78535712f, 1.47902f, 2.16506362f, 2.16506362f, 1.63935959f, 1.47902f});
  t.Run();

  OpTest u("ReduceL2", 17);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddAttr("axes", std::vector<int64_t>{0, -1});
  u.AddAttr("keepdims", int64_t{0});
  u.AddOutput<float>("Y", {3}, {3, 3, 2.54950976f});
  u.Run();
}

TEST(ReduceL2, InputAxes) {
  OpTest t("ReduceL2", 18);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddInput<int64_t>("axes", {1}, {2});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<float>("Y", {2, 3}, {1.5f, 2.59807611f, 1.11803401f, 2.59807611f, 1.5f, 2.2912879f});
  t.Run();

  OpTest u("ReduceL2", 18);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddOutput<float>("Y", {1, 1, 1}, {4.94974756f});
  u.Run();
}

TEST(ReduceL2, EmptySet) {
  OpTest t("ReduceL2", 18);
  t.AddInput<float>("X", {2, 0, 4}, {});
  t.AddConstantInput<int64_t>("axes", {1}, {1});
  t.AddOutput<float>("Y", {2, 1, 4}, std::vector<float>(8, 0));
  t.Run();
}

TEST(ReduceL2, NoopWithEmptyAxes) {
  OpTest t("ReduceL2", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddAttr("noop_with_empty_axes", int64_t{1});
  t.AddOutput<float>("Y", {2}, {1, 2});
  t.Run();
}

TEST(ReduceL2, BadAxisIsAnError) {
  OpTest t("ReduceL2", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<int64_t>("axes", {1}, {-2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("axis");
}

}  // namespace onyx::test
