#include "kernels/op_test.h"

namespace onyx::test {

namespace {
std::vector<float> Iota(int n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[i] = static_cast<float>(i);
  return v;
}
}  // namespace

TEST(MaxPool, StridedWithIndices) {
  OpTest t("MaxPool", 12);
  t.AddInput<float>("X", {1, 1, 4, 4}, Iota(16));
  t.AddAttr("kernel_shape", std::vector<int64_t>{2, 2});
  t.AddAttr("strides", std::vector<int64_t>{2, 2});
  t.AddOutput<float>("Y", {1, 1, 2, 2}, {5, 7, 13, 15});
  t.AddOutput<int64_t>("Indices", {1, 1, 2, 2}, {5, 7, 13, 15});
  t.Run();
}

TEST(MaxPool, ColumnMajorIndices) {
  OpTest t("MaxPool", 8);
  t.AddInput<float>("X", {1, 1, 4, 4}, Iota(16));
  t.AddAttr("kernel_shape", std::vector<int64_t>{2, 2});
  t.AddAttr("strides", std::vector<int64_t>{2, 2});
  t.AddAttr("storage_order", int64_t{1});
  t.AddOutput<float>("Y", {1, 1, 2, 2}, {5, 7, 13, 15});
  t.AddOutput<int64_t>("Indices", {1, 1, 2, 2}, {5, 13, 7, 15});
  t.Run();
}

TEST(MaxPool, IndicesCountBatchAndChannel) {
  OpTest t("MaxPool", 12);
  t.AddInput<float>("X", {2, 1, 1, 2}, {1, 2, 4, 3});
  t.AddAttr("kernel_shape", std::vector<int64_t>{1, 2});
  t.AddOutput<float>("Y", {2, 1, 1, 1}, {2, 4});
  t.AddOutput<int64_t>("Indices", {2, 1, 1, 1}, {1, 2});
  t.Run();
}

TEST(MaxPool, CeilModeKeepsPartialWindow) {
  OpTest t("MaxPool", 10);
  t.AddInput<float>("X", {1, 1, 3, 3}, Iota(9));
  t.AddAttr("kernel_shape", std::vector<int64_t>{2, 2});
  t.AddAttr("strides", std::vector<int64_t>{2, 2});
  t.AddAttr("ceil_mode", int64_t{1});
  t.AddOutput<float>("Y", {1, 1, 2, 2}, {4, 5, 7, 8});
  t.Run();
}

TEST(MaxPool, Dilations) {
  OpTest t("MaxPool", 12);
  t.AddInput<float>("X", {1, 1, 4, 4}, Iota(16));
  t.AddAttr("kernel_shape", std::vector<int64_t>{2, 2});
  t.AddAttr("dilations", std::vector<int64_t>{2, 2});
  t.AddOutput<float>("Y", {1, 1, 2, 2}, {10, 11, 14, 15});
  t.Run();
}

TEST(MaxPool, PaddingIsIgnored) {
  OpTest t("MaxPool", 12);
  t.AddInput<double>("X", {1, 1, 2}, {-3, -4});
  t.AddAttr("kernel_shape", std::vector<int64_t>{2});
  t.AddAttr("pads", std::vector<int64_t>{1, 1});
  t.AddOutput<double>("Y", {1, 1, 3}, {-3, -3, -4});
  t.Run();
}

TEST(MaxPool, SameUpperAutoPad) {
  OpTest t("MaxPool", 12);
  t.AddInput<float>("X", {1, 1, 3}, {1, 3, 2});
  t.AddAttr("kernel_shape", std::vector<int64_t>{2});
  t.AddAttr("auto_pad", std::string("SAME_UPPER"));
  t.AddOutput<float>("Y", {1, 1, 3}, {3, 3, 2});
  t.Run();
}

TEST(MaxPool, Int8AndUint8) {
  {
    OpTest t("MaxPool", 12);
    t.AddInput<int8_t>("X", {1, 1, 4}, {-5, 3, -1, -7});
    t.AddAttr("kernel_shape", std::vector<int64_t>{2});
    t.AddOutput<int8_t>("Y", {1, 1, 3}, {3, 3, -1});
    t.Run();
  }
  {
    OpTest t("MaxPool", 12);
    t.AddInput<uint8_t>("X", {1, 1, 4}, {200, 3, 255, 1});
    t.AddAttr("kernel_shape", std::vector<int64_t>{2});
    t.AddOutput<uint8_t>("Y", {1, 1, 3}, {200, 255, 255});
    t.Run();
  }
}

TEST(MaxPool, MissingKernelShapeIsAnError) {
  OpTest t("MaxPool", 12);
  t.AddInput<float>("X", {1, 1, 4}, {1, 2, 3, 4});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("kernel_shape");
}

TEST(MaxPool, WindowLargerThanInputIsAnError) {
  OpTest t("MaxPool", 12);
  t.AddInput<float>("X", {1, 1, 2}, {1, 2});
  t.AddAttr("kernel_shape", std::vector<int64_t>{3});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("does not fit");
}

TEST(MaxPool, RankMismatchIsAnError) {
  OpTest t("MaxPool", 12);
  t.AddInput<float>("X", {1, 1, 2, 2}, {1, 2, 3, 4});
  t.AddAttr("kernel_shape", std::vector<int64_t>{2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("kernel");
}

}  // namespace onyx::test
