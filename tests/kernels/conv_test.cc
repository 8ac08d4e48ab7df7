#include <random>

#include "kernels/op_test.h"

namespace onyx::test {

namespace {

// Plain direct convolution over 3-D windows (1-D and 2-D tests use leading
// sizes of 1): the reference the im2col + GEMM kernel is compared with.
struct RefConv {
  int64_t n = 1, c = 1, m = 1, group = 1;
  int64_t in[3] = {1, 1, 1}, k[3] = {1, 1, 1}, s[3] = {1, 1, 1}, d[3] = {1, 1, 1}, pb[3] = {0, 0, 0}, pe[3] = {0, 0, 0};
  int64_t Out(int a) const { return (in[a] + pb[a] + pe[a] - ((k[a] - 1) * d[a] + 1)) / s[a] + 1; }

  std::vector<double> Run(const std::vector<double>& x, const std::vector<double>& w,
                          const std::vector<double>* b) const {
    const int64_t o0 = Out(0), o1 = Out(1), o2 = Out(2), cg = c / group, mg = m / group;
    std::vector<double> y(static_cast<size_t>(n * m * o0 * o1 * o2));
    size_t yi = 0;
    for (int64_t ni = 0; ni < n; ++ni)
      for (int64_t mi = 0; mi < m; ++mi)
        for (int64_t a = 0; a < o0; ++a)
          for (int64_t bb = 0; bb < o1; ++bb)
            for (int64_t cc = 0; cc < o2; ++cc) {
              double acc = b ? (*b)[mi] : 0.0;
              const int64_t g = mi / mg;
              for (int64_t ci = 0; ci < cg; ++ci)
                for (int64_t ka = 0; ka < k[0]; ++ka)
                  for (int64_t kb = 0; kb < k[1]; ++kb)
                    for (int64_t kc = 0; kc < k[2]; ++kc) {
                      const int64_t i0 = a * s[0] - pb[0] + ka * d[0], i1 = bb * s[1] - pb[1] + kb * d[1],
                                    i2 = cc * s[2] - pb[2] + kc * d[2];
                      if (i0 < 0 || i0 >= in[0] || i1 < 0 || i1 >= in[1] || i2 < 0 || i2 >= in[2]) continue;
                      const double xv = x[(((ni * c + g * cg + ci) * in[0] + i0) * in[1] + i1) * in[2] + i2];
                      const double wv = w[(((mi * cg + ci) * k[0] + ka) * k[1] + kb) * k[2] + kc];
                      acc += xv * wv;
                    }
              y[yi++] = acc;
            }
    return y;
  }
};

std::vector<double> RandomValues(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> v(n);
  for (auto& x : v) x = u(rng);
  return v;
}

template <typename T>
std::vector<T> Cast(const std::vector<double>& v) {
  return std::vector<T>(v.begin(), v.end());
}

// Runs Conv on random data with `spatial` axes (1..3) and compares with
// RefConv.
template <typename T>
void CheckAgainstReference(const RefConv& r, int spatial, bool bias,
                           const std::vector<std::pair<std::string, std::vector<int64_t>>>& attrs, int64_t group,
                           uint32_t seed) {
  Shape xs = {r.n, r.c}, ws = {r.m, r.c / r.group}, ys = {r.n, r.m};
  for (int a = 3 - spatial; a < 3; ++a) {
    xs.push_back(r.in[a]);
    ws.push_back(r.k[a]);
    ys.push_back(r.Out(a));
  }
  int64_t xn = 1, wn = 1;
  for (int64_t v : xs) xn *= v;
  for (int64_t v : ws) wn *= v;
  const auto x = RandomValues(static_cast<size_t>(xn), seed);
  const auto w = RandomValues(static_cast<size_t>(wn), seed + 1);
  const auto b = RandomValues(static_cast<size_t>(r.m), seed + 2);
  const auto y = r.Run(x, w, bias ? &b : nullptr);
  OpTest t("Conv", 22);
  t.AddInput<T>("X", xs, Cast<T>(x));
  t.AddConstantInput<T>("W", ws, Cast<T>(w));
  if (bias) t.AddConstantInput<T>("B", {r.m}, Cast<T>(b));
  for (const auto& [name, v] : attrs) t.AddAttr(name, v);
  if (group != 1) t.AddAttr("group", group);
  t.AddOutput<T>("Y", ys, Cast<T>(y));
  t.Run();
}

}  // namespace

TEST(Conv, PaddedSquareKernel) {
  OpTest t("Conv", 11);
  std::vector<float> x(25);
  for (int i = 0; i < 25; ++i) x[i] = static_cast<float>(i);
  t.AddInput<float>("X", {1, 1, 5, 5}, x);
  t.AddInput<float>("W", {1, 1, 3, 3}, std::vector<float>(9, 1.0f));
  t.AddAttr("kernel_shape", std::vector<int64_t>{3, 3});
  t.AddAttr("pads", std::vector<int64_t>{1, 1, 1, 1});
  t.AddOutput<float>("Y", {1, 1, 5, 5}, {12,  21, 27, 33,  24,  33,  54,  63, 72,  51,  63,  99, 108,
                                         117, 81, 93, 144, 153, 162, 111, 72, 111, 117, 123, 84});
  t.Run();
}

TEST(Conv, StridesAsymmetricPadsBias2D) {
  RefConv r;
  r.n = 2, r.c = 3, r.m = 4;
  r.in[1] = 7, r.in[2] = 6, r.k[1] = 3, r.k[2] = 2, r.s[1] = 2, r.s[2] = 1, r.pb[1] = 1, r.pb[2] = 0, r.pe[1] = 0,
  r.pe[2] = 1;
  CheckAgainstReference<float>(r, 2, true, {{"strides", {2, 1}}, {"pads", {1, 0, 0, 1}}}, 1, 1);
}

TEST(Conv, GroupsAndDilations) {
  RefConv r;
  r.n = 1, r.c = 4, r.m = 6, r.group = 2;
  r.in[1] = 9, r.in[2] = 8, r.k[1] = 3, r.k[2] = 3, r.d[1] = 2, r.d[2] = 3, r.pb[1] = 2, r.pb[2] = 1, r.pe[1] = 2,
  r.pe[2] = 1;
  CheckAgainstReference<float>(r, 2, false, {{"dilations", {2, 3}}, {"pads", {2, 1, 2, 1}}}, 2, 2);
}

TEST(Conv, Depthwise) {
  RefConv r;
  r.n = 2, r.c = 5, r.m = 5, r.group = 5;
  r.in[1] = 6, r.in[2] = 6, r.k[1] = 3, r.k[2] = 3, r.s[1] = 2, r.s[2] = 2, r.pb[1] = r.pb[2] = r.pe[1] = r.pe[2] = 1;
  CheckAgainstReference<float>(r, 2, true, {{"strides", {2, 2}}, {"pads", {1, 1, 1, 1}}}, 5, 3);
}

TEST(Conv, DepthwiseStrideOneAsymmetricPads5x5) {
  RefConv r;
  r.n = 1, r.c = 3, r.m = 3, r.group = 3;
  r.in[1] = 9, r.in[2] = 11, r.k[1] = 5, r.k[2] = 5, r.pb[1] = 2, r.pb[2] = 1, r.pe[1] = 0, r.pe[2] = 3;
  CheckAgainstReference<float>(r, 2, true, {{"pads", {2, 1, 0, 3}}}, 3, 8);
}

TEST(Conv, DepthwiseWideRowsUseVectorColumns) {
  // Rows of 37 outputs: several 8-wide vector blocks, a scalar tail and padded borders on both sides.
  RefConv r;
  r.n = 1, r.c = 4, r.m = 4, r.group = 4;
  r.in[1] = 6, r.in[2] = 37, r.k[1] = 3, r.k[2] = 3, r.pb[1] = r.pb[2] = r.pe[1] = r.pe[2] = 1;
  CheckAgainstReference<float>(r, 2, true, {{"pads", {1, 1, 1, 1}}}, 4, 11);
}

TEST(Conv, DepthwiseNarrowerThanKernelWithPadding) {
  // Every output column's window reaches into the padding: no interior columns at all.
  RefConv r;
  r.n = 1, r.c = 2, r.m = 2, r.group = 2;
  r.in[1] = 4, r.in[2] = 2, r.k[1] = 3, r.k[2] = 3, r.s[2] = 2, r.pb[1] = r.pb[2] = r.pe[1] = r.pe[2] = 1;
  CheckAgainstReference<float>(r, 2, false, {{"strides", {1, 2}}, {"pads", {1, 1, 1, 1}}}, 2, 9);
}

TEST(Conv, GroupedWithPackedWeights) {
  // Two groups of 20 output channels each: the weights are packed per group at Init.
  RefConv r;
  r.n = 2, r.c = 6, r.m = 40, r.group = 2;
  r.in[1] = 9, r.in[2] = 10, r.k[1] = 3, r.k[2] = 3, r.pb[1] = r.pb[2] = r.pe[1] = r.pe[2] = 1;
  CheckAgainstReference<float>(r, 2, true, {{"pads", {1, 1, 1, 1}}}, 2, 10);
}

TEST(Conv, LargeEnoughForBlockedGemm) {
  RefConv r;
  r.n = 1, r.c = 16, r.m = 70;
  r.in[1] = 20, r.in[2] = 19, r.k[1] = 3, r.k[2] = 3, r.pb[1] = r.pb[2] = r.pe[1] = r.pe[2] = 1;
  CheckAgainstReference<float>(r, 2, true, {{"pads", {1, 1, 1, 1}}}, 1, 4);
}

TEST(Conv, Pointwise) {
  RefConv r;
  r.n = 2, r.c = 8, r.m = 12;
  r.in[1] = 5, r.in[2] = 7;
  CheckAgainstReference<float>(r, 2, true, {}, 1, 5);
}

TEST(Conv, OneDimensionalDouble) {
  RefConv r;
  r.n = 2, r.c = 3, r.m = 2;
  r.in[2] = 11, r.k[2] = 4, r.s[2] = 3, r.pb[2] = 2, r.pe[2] = 1;
  CheckAgainstReference<double>(r, 1, true, {{"strides", {3}}, {"pads", {2, 1}}}, 1, 6);
}

TEST(Conv, ThreeDimensional) {
  RefConv r;
  r.n = 1, r.c = 2, r.m = 3;
  r.in[0] = 4, r.in[1] = 5, r.in[2] = 3, r.k[0] = 2, r.k[1] = 3, r.k[2] = 2, r.pb[1] = 1, r.pe[1] = 1;
  CheckAgainstReference<float>(r, 3, false, {{"pads", {0, 1, 0, 0, 1, 0}}}, 1, 7);
}

TEST(Conv, AutoPadSameUpperAndLower) {
  // 4-wide input, kernel 2, stride 1: one pad in total, at the end for
  // SAME_UPPER, at the start for SAME_LOWER.
  for (const char* mode : {"SAME_UPPER", "SAME_LOWER"}) {
    OpTest t("Conv", 11);
    t.AddInput<float>("X", {1, 1, 4}, {1, 2, 3, 4});
    t.AddInput<float>("W", {1, 1, 2}, {1, 10});
    t.AddAttr("auto_pad", std::string(mode));
    if (std::string(mode) == "SAME_UPPER") {
      t.AddOutput<float>("Y", {1, 1, 4}, {21, 32, 43, 4});
    } else {
      t.AddOutput<float>("Y", {1, 1, 4}, {10, 21, 32, 43});
    }
    t.Run();
  }
}

TEST(Conv, AutoPadValidWithStride) {
  OpTest t("Conv", 1);
  t.AddInput<float>("X", {1, 1, 5}, {1, 2, 3, 4, 5});
  t.AddInput<float>("W", {1, 1, 2}, {1, 1});
  t.AddAttr("auto_pad", std::string("VALID"));
  t.AddAttr("strides", std::vector<int64_t>{2});
  t.AddOutput<float>("Y", {1, 1, 2}, {3, 7});
  t.Run();
}

TEST(Conv, Float16ComputesInFloat) {
  auto h = [](std::vector<float> v) {
    std::vector<Float16> out;
    for (float f : v) out.push_back(Float16{FloatToHalf(f)});
    return out;
  };
  OpTest t("Conv", 22);
  t.AddInput<Float16>("X", {1, 2, 2}, h({1, 2, 3, 4}));
  t.AddInput<Float16>("W", {1, 2, 1}, h({0.5f, 2}));
  t.AddInput<Float16>("B", {1}, h({1}));
  t.AddOutput<Float16>("Y", {1, 1, 2}, h({7.5f, 10}));
  t.Run();
}

TEST(Conv, ChannelMismatchIsAnError) {
  OpTest t("Conv", 11);
  t.AddInput<float>("X", {1, 3, 4, 4}, std::vector<float>(48, 1));
  t.AddInput<float>("W", {2, 2, 3, 3}, std::vector<float>(36, 1));
  t.AddOutputUnchecked("Y");
  t.RunExpectError("channels");
}

TEST(Conv, KernelLargerThanInputIsAnError) {
  OpTest t("Conv", 11);
  t.AddInput<float>("X", {1, 1, 2, 2}, std::vector<float>(4, 1));
  t.AddInput<float>("W", {1, 1, 3, 3}, std::vector<float>(9, 1));
  t.AddOutputUnchecked("Y");
  t.RunExpectError("does not fit");
}

TEST(Conv, BadAutoPadIsAnError) {
  OpTest t("Conv", 11);
  t.AddInput<float>("X", {1, 1, 2, 2}, std::vector<float>(4, 1));
  t.AddInput<float>("W", {1, 1, 1, 1}, {1});
  t.AddAttr("auto_pad", std::string("SAME_MIDDLE"));
  t.AddOutputUnchecked("Y");
  t.RunExpectError("auto_pad");
}

TEST(Conv, BiasOfWrongLengthIsAnError) {
  OpTest t("Conv", 11);
  t.AddInput<float>("X", {1, 1, 2, 2}, std::vector<float>(4, 1));
  t.AddInput<float>("W", {2, 1, 1, 1}, {1, 2});
  t.AddInput<float>("B", {3}, {1, 2, 3});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("B");
}

}  // namespace onyx::test
