#include "kernels/op_test.h"

namespace onyx::test {

TEST(ConvTranspose, OneDimensionalStride2) {
  // y[i*2 + k] += x[i] * w[k]: x {1,2}, w {1,10,100} -> length (2-1)*2 + 3 = 5.
  OpTest t("ConvTranspose", 11);
  t.AddInput<float>("X", {1, 1, 2}, {1, 2});
  t.AddInput<float>("W", {1, 1, 3}, {1, 10, 100});
  t.AddAttr("strides", std::vector<int64_t>{2});
  t.AddOutput<float>("Y", {1, 1, 5}, {1, 10, 102, 20, 200});
  t.Run();
}

TEST(ConvTranspose, PadsBiasAndOutputChannels) {
  OpTest t("ConvTranspose", 22);
  t.AddInput<float>("X", {1, 1, 2}, {1, 2});
  t.AddInput<float>("W", {1, 2, 3}, {1, 10, 100, 1, 1, 1});
  t.AddInput<float>("B", {2}, {0.5f, -1});
  t.AddAttr("strides", std::vector<int64_t>{2});
  t.AddAttr("pads", std::vector<int64_t>{1, 1});
  t.AddOutput<float>("Y", {1, 2, 3}, {10.5f, 102.5f, 20.5f, 0, 2, 1});
  t.Run();
}

TEST(ConvTranspose, OutputShapeAddsTrailingPosition) {
  OpTest t("ConvTranspose", 11);
  t.AddInput<double>("X", {1, 1, 2}, {1, 2});
  t.AddInput<double>("W", {1, 1, 1}, {3});
  t.AddAttr("output_shape", std::vector<int64_t>{3});
  t.AddOutput<double>("Y", {1, 1, 3}, {3, 6, 0});
  t.Run();
}

TEST(ConvTranspose, ChannelMismatchIsAnError) {
  OpTest t("ConvTranspose", 11);
  t.AddInput<float>("X", {1, 2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("W", {1, 1, 3}, {1, 1, 1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("channels");
}

}  // namespace onyx::test
