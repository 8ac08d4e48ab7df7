#include "kernels/op_test.h"

namespace onyx::test {

// With zero offsets DeformConv is a plain convolution.
TEST(DeformConv, ZeroOffsetIsConv) {
  OpTest t("DeformConv", 19);
  t.AddInput<float>("X", {1, 1, 3, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8});
  t.AddInput<float>("W", {1, 1, 2, 2}, {1, 1, 1, 1});
  t.AddInput<float>("offset", {1, 8, 2, 2}, std::vector<float>(32, 0.0f));
  t.AddOutput<float>("Y", {1, 1, 2, 2}, {8, 12, 20, 24});
  t.Run();
}

// The conformance case: one tap moved half a pixel down.
TEST(DeformConv, FractionalOffset) {
  OpTest t("DeformConv", 22);
  t.AddAttr("kernel_shape", std::vector<int64_t>{2, 2});
  t.AddInput<float>("X", {1, 1, 3, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8});
  t.AddInput<float>("W", {1, 1, 2, 2}, {1, 1, 1, 1});
  std::vector<float> offset(32, 0.0f);
  offset[0] = 0.5f;    // tap (0,0), dy, output (0,0)
  offset[21] = -0.1f;  // tap (1,0), dx, output (0,1)
  t.AddInput<float>("offset", {1, 8, 2, 2}, offset);
  t.AddOutput<float>("Y", {1, 1, 2, 2}, {9.5f, 11.9f, 20, 24});
  t.Run();
}

TEST(DeformConv, GroupsOffsetGroupsMaskBias) {
  OpTest t("DeformConv", 22);
  t.AddAttr("group", int64_t{2});
  t.AddAttr("offset_group", int64_t{2});
  t.AddAttr("kernel_shape", std::vector<int64_t>{2, 2});
  t.AddInput<float>("X", {1, 4, 3, 3},
                    {1.6f,  -0.6f, -0.5f, -1.1f, 0.9f,  -2.3f, 1.7f,  -0.8f, 0.3f,  -0.2f, 1.5f,  -2.1f,
                     -0.3f, -0.4f, 1.1f,  -1.1f, -0.2f, -0.9f, 0,     0.6f,  -1.1f, 1.1f,  0.9f,  0.5f,
                     0.9f,  -0.7f, -0.1f, -0.9f, -0.3f, 0.5f,  -0.7f, -0.4f, -0.7f, -0.8f, -0.7f, 0});
  t.AddInput<float>(
      "W", {2, 2, 2, 2},
      {-1.1f, 0.2f, 1.7f, 0.7f, -0.2f, -0.9f, -0.7f, 1.7f, 0.1f, -0.6f, 0.2f, 2.1f, 0.1f, 0.6f, 0.3f, -0.4f});
  t.AddInput<float>(
      "offset", {1, 16, 2, 2},
      {-0.8f, -0.2f, -0.1f, 0.4f,  0.6f,  0.7f, 0.2f, 0.6f,  -0.5f, 0.9f,  0.4f, -0.2f, 0.3f,  -0.1f, 0.8f,  1.1f,
       1.5f,  -1,    -1,    -0.4f, 0.1f,  0.6f, 0.2f, -1.4f, -0.2f, 0.6f,  0.2f, 0.5f,  -0.2f, -0.1f, 0.1f,  0.3f,
       0.1f,  0.1f,  -0.5f, 0.3f,  0.1f,  0.8f, 0.8f, 0.1f,  -0.3f, -0.4f, 0.3f, 0.1f,  -0.2f, 0,     -0.4f, 0.5f,
       -0.3f, 0.9f,  0.3f,  0.4f,  -0.8f, 0.1f, 0.5f, -0.7f, -0.2f, 0,     -1,   0.2f,  0.6f,  -0.6f, 0.2f,  -0.9f});
  t.AddInput<float>("B", {2}, {0.5f, -1});
  t.AddInput<float>("mask", {1, 8, 2, 2},
                    {1,    0.8f, 0.2f, 0.5f, 0.6f, 0.8f, 0.2f, 0,    0.1f, 0.5f, 0.6f, 0.6f, 0.3f, 1,    0.6f, 0.4f,
                     0.6f, 0.7f, 0.7f, 0.3f, 0.1f, 0.4f, 0.6f, 0.2f, 0.8f, 0.1f, 0.3f, 0.8f, 0.2f, 0.6f, 0.5f, 0.9f});
  t.AddOutput<float>("Y", {1, 2, 2, 2},
                     {0.45716f, -0.68312f, -0.47796f, 1.22892f, -0.86858f, 0.23262f, -0.52259f, -1.9234f});
  t.Run();
}

// 1-D with stride, dilation and padding; taps that land outside the input read zero.
TEST(DeformConv, OneDimensionalStridedDilatedPadded) {
  OpTest t("DeformConv", 22);
  t.AddAttr("strides", std::vector<int64_t>{2});
  t.AddAttr("dilations", std::vector<int64_t>{2});
  t.AddAttr("pads", std::vector<int64_t>{1, 1});
  t.AddInput<double>("X", {1, 1, 8}, {0, 1, 2, 3, 4, 5, 6, 7});
  t.AddInput<double>("W", {1, 1, 3}, {1, 2, -1});
  t.AddInput<double>("offset", {1, 3, 3}, {-0.3, 0, -1.7, 1.3, -1.4, -0.7, 0.4, -1, -0.8});
  t.AddOutput<double>("Y", {1, 1, 3}, {1.2, 0.2, 3.7});
  t.Run();
}

TEST(DeformConv, BadOffsetShapeIsAnError) {
  OpTest t("DeformConv", 22);
  t.AddInput<float>("X", {1, 1, 3, 3}, std::vector<float>(9, 1.0f));
  t.AddInput<float>("W", {1, 1, 2, 2}, {1, 1, 1, 1});
  t.AddInput<float>("offset", {1, 4, 2, 2}, std::vector<float>(16, 0.0f));
  t.AddOutputUnchecked("Y");
  t.RunExpectError("offset");
}

TEST(DeformConv, BadGroupIsAnError) {
  OpTest t("DeformConv", 22);
  t.AddAttr("group", int64_t{2});
  t.AddInput<float>("X", {1, 1, 3, 3}, std::vector<float>(9, 1.0f));
  t.AddInput<float>("W", {1, 1, 2, 2}, {1, 1, 1, 1});
  t.AddInput<float>("offset", {1, 8, 2, 2}, std::vector<float>(32, 0.0f));
  t.AddOutputUnchecked("Y");
  t.RunExpectError("group");
}

}  // namespace onyx::test
