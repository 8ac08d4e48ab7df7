#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(AveragePool, PadsExcludedByDefault) {
  OpTest t("AveragePool", 11);
  t.AddInput<float>("X", {1, 1, 4}, {1, 2, 3, 4});
  t.AddAttr("kernel_shape", std::vector<int64_t>{3});
  t.AddAttr("pads", std::vector<int64_t>{1, 1});
  t.AddOutput<float>("Y", {1, 1, 4}, {1.5f, 2, 3, 3.5f});
  t.Run();
}

TEST(AveragePool, CountIncludePad) {
  OpTest t("AveragePool", 7);
  t.AddInput<float>("X", {1, 1, 4}, {1, 2, 3, 4});
  t.AddAttr("kernel_shape", std::vector<int64_t>{3});
  t.AddAttr("pads", std::vector<int64_t>{1, 1});
  t.AddAttr("count_include_pad", int64_t{1});
  t.AddOutput<float>("Y", {1, 1, 4}, {1, 2, 3, 7.0f / 3});
  t.Run();
}

TEST(AveragePool, CeilModePartialWindow) {
  OpTest t("AveragePool", 10);
  t.AddInput<float>("X", {1, 1, 5}, {1, 2, 3, 4, 5});
  t.AddAttr("kernel_shape", std::vector<int64_t>{2});
  t.AddAttr("strides", std::vector<int64_t>{2});
  t.AddAttr("ceil_mode", int64_t{1});
  t.AddOutput<float>("Y", {1, 1, 3}, {1.5f, 3.5f, 5});
  t.Run();
}

TEST(AveragePool, DilationsAtOpset19) {
  OpTest t("AveragePool", 19);
  t.AddInput<double>("X", {1, 1, 5}, {1, 2, 3, 4, 5});
  t.AddAttr("kernel_shape", std::vector<int64_t>{2});
  t.AddAttr("dilations", std::vector<int64_t>{2});
  t.AddOutput<double>("Y", {1, 1, 3}, {2, 3, 4});
  t.Run();
}

TEST(AveragePool, TwoDimensionalStrided) {
  OpTest t("AveragePool", 22);
  std::vector<float> x(16);
  for (int i = 0; i < 16; ++i) x[i] = static_cast<float>(i);
  t.AddInput<float>("X", {1, 1, 4, 4}, x);
  t.AddAttr("kernel_shape", std::vector<int64_t>{2, 2});
  t.AddAttr("strides", std::vector<int64_t>{2, 2});
  t.AddOutput<float>("Y", {1, 1, 2, 2}, {2.5f, 4.5f, 10.5f, 12.5f});
  t.Run();
}

TEST(AveragePool, NegativeStrideIsAnError) {
  OpTest t("AveragePool", 11);
  t.AddInput<float>("X", {1, 1, 4}, {1, 2, 3, 4});
  t.AddAttr("kernel_shape", std::vector<int64_t>{2});
  t.AddAttr("strides", std::vector<int64_t>{-1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("strides");
}

}  // namespace onyx::test

namespace onyx::test {

// A window over each whole plane (resnet's final pool): the plain sum in memory order over the count, exactly.
TEST(AveragePool, WholePlaneWindowSumsInOrder) {
  const int64_t planes = 6, h = 7, w = 5;
  std::vector<float> x(static_cast<size_t>(planes * h * w)), y;
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(static_cast<float>(i) * 0.37f) * 3.1f;
  for (int64_t p = 0; p < planes; ++p) {
    float sum = 0.0f;
    for (int64_t i = 0; i < h * w; ++i) sum += x[static_cast<size_t>(p * h * w + i)];
    y.push_back(sum / (static_cast<float>(h) * static_cast<float>(w)));
  }
  OpTest t("AveragePool", 19);
  t.AddInput<float>("X", {2, 3, h, w}, x);
  t.AddAttr("kernel_shape", std::vector<int64_t>{h, w});
  t.SetTolerance(0, 0);
  t.AddOutput<float>("Y", {2, 3, 1, 1}, y);
  t.Run();
}

}  // namespace onyx::test
