#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

namespace {
const std::vector<float> kX = {-1.25f, -0.75f, -0.25f, 0.25f, 0.75f, 1.25f,  1.75f,  -1.25f,
                               -0.75f, -0.25f, 0.25f,  0.75f, 1.25f, 1.75f,  -1.25f, -0.75f,
                               -0.25f, 0.25f,  0.75f,  1.25f, 1.75f, -1.25f, -0.75f, -0.25f};
}  // namespace

TEST(ReduceSumSquare, AttributeAxes) {
  OpTest t("ReduceSumSquare", 17);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddAttr("axes", std::vector<int64_t>{1});
  t.AddOutput<float>("Y", {2, 1, 4}, {2.6875f, 2.1875f, 3.1875f, 2.1875f, 4.6875f, 4.6875f, 2.6875f, 2.1875f});
  t.Run();

  OpTest u("ReduceSumSquare", 17);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddAttr("axes", std::vector<int64_t>{0, -1});
  u.AddAttr("keepdims", int64_t{0});
  u.AddOutput<float>("Y", {3}, {9, 9, 6.5f});
  u.Run();
}

TEST(ReduceSumSquare, InputAxes) {
  OpTest t("ReduceSumSquare", 18);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddInput<int64_t>("axes", {1}, {2});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<float>("Y", {2, 3}, {2.25f, 6.75f, 1.25f, 6.75f, 2.25f, 5.25f});
  t.Run();

  OpTest u("ReduceSumSquare", 18);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddOutput<float>("Y", {1, 1, 1}, {24.5f});
  u.Run();
}

TEST(ReduceSumSquare, EmptySet) {
  OpTest t("ReduceSumSquare", 18);
  t.AddInput<float>("X", {2, 0, 4}, {});
  t.AddConstantInput<int64_t>("axes", {1}, {1});
  t.AddOutput<float>("Y", {2, 1, 4}, std::vector<float>(8, 0));
  t.Run();
}

TEST(ReduceSumSquare, NoopWithEmptyAxes) {
  OpTest t("ReduceSumSquare", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddAttr("noop_with_empty_axes", int64_t{1});
  t.AddOutput<float>("Y", {2}, {1, 2});
  t.Run();
}

TEST(ReduceSumSquare, BadAxisIsAnError) {
  OpTest t("ReduceSumSquare", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<int64_t>("axes", {1}, {-2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("axis");
}

TEST(ReduceSumSquare, Int64) {
  OpTest t("ReduceSumSquare", 18);
  t.AddInput<int64_t>("X", {2, 3}, {1, -2, 3, 4, 5, -6});
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<int64_t>("Y", {2}, {14, 77});
  t.Run();
}

}  // namespace onyx::test
