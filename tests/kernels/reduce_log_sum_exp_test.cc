#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

namespace {
const std::vector<float> kX = {-1.25f, -0.75f, -0.25f, 0.25f, 0.75f, 1.25f,  1.75f,  -1.25f,
                               -0.75f, -0.25f, 0.25f,  0.75f, 1.25f, 1.75f,  -1.25f, -0.75f,
                               -0.25f, 0.25f,  0.75f,  1.25f, 1.75f, -1.25f, -0.75f, -0.25f};
}  // namespace

TEST(ReduceLogSumExp, AttributeAxes) {
  OpTest t("ReduceLogSumExp", 17);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddAttr("axes", std::vector<int64_t>{1});
  t.AddOutput<float>(
      "Y", {2, 1, 4},
      {1.05635571f, 1.55635571f, 2.05635571f, 1.30495691f, 2.30495691f, 1.99131131f, 1.05635571f, 1.55635571f});
  t.Run();

  OpTest u("ReduceLogSumExp", 17);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddAttr("axes", std::vector<int64_t>{0, -1});
  u.AddAttr("keepdims", int64_t{0});
  u.AddOutput<float>("Y", {3}, {2.55143642f, 2.96106935f, 2.48026824f});
  u.Run();
}

TEST(ReduceLogSumExp, InputAxes) {
  OpTest t("ReduceLogSumExp", 18);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddInput<int64_t>("axes", {1}, {2});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<float>("Y", {2, 3}, {1.03733861f, 2.45517325f, 1.53733861f, 2.30296683f, 2.03733873f, 1.98681557f});
  t.Run();

  OpTest u("ReduceLogSumExp", 18);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddOutput<float>("Y", {1, 1, 1}, {3.78620124f});
  u.Run();
}

TEST(ReduceLogSumExp, EmptySet) {
  OpTest t("ReduceLogSumExp", 18);
  t.AddInput<float>("X", {2, 0, 4}, {});
  t.AddConstantInput<int64_t>("axes", {1}, {1});
  t.AddOutput<float>("Y", {2, 1, 4}, std::vector<float>(8, -INFINITY));
  t.Run();
}

TEST(ReduceLogSumExp, NoopWithEmptyAxes) {
  OpTest t("ReduceLogSumExp", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddAttr("noop_with_empty_axes", int64_t{1});
  t.AddOutput<float>("Y", {2}, {1, 2});
  t.Run();
}

TEST(ReduceLogSumExp, BadAxisIsAnError) {
  OpTest t("ReduceLogSumExp", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<int64_t>("axes", {1}, {-2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("axis");
}

}  // namespace onyx::test
