#include "kernels/op_test.h"

namespace onyx::test {

namespace {
const std::vector<float> kX = {-1.5f,         -1.35714281f, -1.21428573f,  -1.07142854f,  -0.928571403f,  -0.785714269f,
                               -0.642857134f, -0.5f,        -0.357142806f, -0.214285731f, -0.0714285374f, 0.0714285374f,
                               0.214285731f,  0.357142806f, 0.5f,          0.642857075f,  0.785714388f,   0.928571463f,
                               1.07142854f,   1.21428561f,  1.35714293f,   1.5f,          1.64285707f,    1.78571439f};
}  // namespace

TEST(ReduceMean, AxesAttributeKeepDims) {
  OpTest t("ReduceMean", 13);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddAttr("axes", std::vector<int64_t>{1});
  t.AddOutput<float>(
      "Y", {2, 1, 4},
      {-0.928571403f, -0.785714269f, -0.642857134f, -0.5f, 0.785714328f, 0.928571403f, 1.07142854f, 1.21428573f});
  t.Run();
}

TEST(ReduceMean, LastAxisNoKeepDims) {
  OpTest t("ReduceMean", 11);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddAttr("axes", std::vector<int64_t>{-1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<float>("Y", {2, 3}, {-1.28571427f, -0.714285731f, -0.142857134f, 0.428571403f, 1, 1.57142854f});
  t.Run();
}

TEST(ReduceMean, NonContiguousAxes) {
  OpTest t("ReduceMean", 13);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddAttr("axes", std::vector<int64_t>{0, 2});
  t.AddOutput<float>("Y", {1, 3, 1}, {-0.428571433f, 0.142857149f, 0.714285731f});
  t.Run();
}

TEST(ReduceMean, DefaultReducesAll) {
  OpTest t("ReduceMean", 13);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddOutput<float>("Y", {1, 1, 1}, {0.142857149f});
  t.Run();
}

TEST(ReduceMean, AxesInput) {
  OpTest t("ReduceMean", 18);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddInput<int64_t>("axes", {2}, {1, 2});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<float>("Y", {2}, {-0.714285731f, 1});
  t.Run();
}

TEST(ReduceMean, ConstantAxesInput) {
  OpTest t("ReduceMean", 18);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddConstantInput<int64_t>("axes", {1}, {0});
  t.AddOutput<float>("Y", {1, 3, 4},
                     {-0.642857134f, -0.5f, -0.357142866f, -0.214285731f, -0.0714285076f, 0.071428597f, 0.214285702f,
                      0.357142806f, 0.50000006f, 0.642857134f, 0.785714269f, 0.928571463f});
  t.Run();
}

TEST(ReduceMean, NoopWithEmptyAxes) {
  OpTest t("ReduceMean", 18);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddAttr("noop_with_empty_axes", int64_t{1});
  t.AddOutput<float>("Y", {2}, {1, 2});
  t.Run();
}

TEST(ReduceMean, IntegersAndDouble) {
  OpTest t("ReduceMean", 13);
  t.AddInput<int32_t>("X", {2, 2}, {1, 2, 3, 5});
  t.AddAttr("axes", std::vector<int64_t>{1});
  t.AddOutput<int32_t>("Y", {2, 1}, {1, 4});
  t.Run();

  OpTest u("ReduceMean", 13);
  u.AddInput<double>("X", {2, 2}, {1, 2, 3, 5});
  u.AddAttr("axes", std::vector<int64_t>{0});
  u.AddAttr("keepdims", int64_t{0});
  u.AddOutput<double>("Y", {2}, {2, 3.5});
  u.Run();
}

TEST(ReduceMean, BadAxisIsAnError) {
  OpTest t("ReduceMean", 13);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddAttr("axes", std::vector<int64_t>{3});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("axis");
}

TEST(ReduceMean, RepeatedAxisIsAnError) {
  OpTest t("ReduceMean", 18);
  t.AddInput<float>("X", {2, 2}, {1, 2, 3, 4});
  t.AddInput<int64_t>("axes", {2}, {1, -1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("twice");
}

}  // namespace onyx::test
