#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

namespace {
const std::vector<float> kX = {1.25f, 0.75f, 0.25f, 0.25f, 0.75f, 1.25f, 1.75f, 1.25f, 0.75f, 0.25f, 0.25f, 0.75f,
                               1.25f, 1.75f, 1.25f, 0.75f, 0.25f, 0.25f, 0.75f, 1.25f, 1.75f, 1.25f, 0.75f, 0.25f};
}  // namespace

TEST(ReduceLogSum, AttributeAxes) {
  OpTest t("ReduceLogSum", 17);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddAttr("axes", std::vector<int64_t>{1});
  t.AddOutput<float>(
      "Y", {2, 1, 4},
      {1.01160097f, 0.810930192f, 0.810930192f, 0.810930192f, 1.17865503f, 1.17865503f, 1.01160097f, 0.810930192f});
  t.Run();

  OpTest u("ReduceLogSum", 17);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddAttr("axes", std::vector<int64_t>{0, -1});
  u.AddAttr("keepdims", int64_t{0});
  u.AddOutput<float>("Y", {3}, {2.01490307f, 2.01490307f, 1.79175949f});
  u.Run();
}

TEST(ReduceLogSum, InputAxes) {
  OpTest t("ReduceLogSum", 18);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddInput<int64_t>("axes", {1}, {2});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<float>("Y", {2, 3}, {0.91629076f, 1.60943794f, 0.693147182f, 1.60943794f, 0.91629076f, 1.38629436f});
  t.Run();

  OpTest u("ReduceLogSum", 18);
  u.AddInput<float>("X", {2, 3, 4}, kX);
  u.AddOutput<float>("Y", {1, 1, 1}, {3.04452252f});
  u.Run();
}

TEST(ReduceLogSum, EmptySet) {
  OpTest t("ReduceLogSum", 18);
  t.AddInput<float>("X", {2, 0, 4}, {});
  t.AddConstantInput<int64_t>("axes", {1}, {1});
  t.AddOutput<float>("Y", {2, 1, 4}, std::vector<float>(8, -INFINITY));
  t.Run();
}

TEST(ReduceLogSum, NoopWithEmptyAxes) {
  OpTest t("ReduceLogSum", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddAttr("noop_with_empty_axes", int64_t{1});
  t.AddOutput<float>("Y", {2}, {1, 2});
  t.Run();
}

TEST(ReduceLogSum, BadAxisIsAnError) {
  OpTest t("ReduceLogSum", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<int64_t>("axes", {1}, {-2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("axis");
}

}  // namespace onyx::test
