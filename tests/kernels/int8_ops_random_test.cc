// The 8-bit operators on the integer GEMM (QLinearConv, ConvInteger, QLinearMatMul, MatMulInteger,
// QuantizeLinear, DequantizeLinear) on random data against naive references written here: every convolution
// path (1x1 without im2col, channels-last gather, im2col, depthwise), groups, strides, dilations, padding,
// per-channel weights and zero points, both signedness, constant and run-time weights.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

template <typename T>
std::vector<T> Random(std::mt19937& rng, int64_t n, int lo = std::numeric_limits<T>::min(),
                      int hi = std::numeric_limits<T>::max()) {
  std::uniform_int_distribution<int> d(lo, hi);
  std::vector<T> v(static_cast<size_t>(n));
  for (auto& x : v) x = static_cast<T>(d(rng));
  return v;
}

// A 2-D convolution's geometry (1-D and 3-D cases are 2-D ones with unit axes here).
struct Conv2D {
  int64_t n, c, h, w, m, kh, kw, group, sh, sw, dh, dw, pt, pl, pb, pr;
  int64_t oh() const { return (h + pt + pb - (dh * (kh - 1) + 1)) / sh + 1; }
  int64_t ow() const { return (w + pl + pr - (dw * (kw - 1) + 1)) / sw + 1; }
};

// int64 sums of (x - xz) * (w - wz[m]) over each window; the padding contributes nothing.
template <typename X, typename W>
std::vector<int64_t> ConvReference(const Conv2D& g, const std::vector<X>& x, int32_t xz, const std::vector<W>& w,
                                   const std::vector<int32_t>& wz) {
  const int64_t cg = g.c / g.group, mg = g.m / g.group, oh = g.oh(), ow = g.ow();
  std::vector<int64_t> y(static_cast<size_t>(g.n * g.m * oh * ow));
  for (int64_t n = 0; n < g.n; ++n) {
    for (int64_t m = 0; m < g.m; ++m) {
      const int64_t grp = m / mg;
      const int32_t z = wz.empty() ? 0 : wz[wz.size() == 1 ? 0 : static_cast<size_t>(m)];
      for (int64_t i = 0; i < oh; ++i) {
        for (int64_t j = 0; j < ow; ++j) {
          int64_t s = 0;
          for (int64_t c = 0; c < cg; ++c) {
            for (int64_t a = 0; a < g.kh; ++a) {
              for (int64_t b = 0; b < g.kw; ++b) {
                const int64_t yi = i * g.sh - g.pt + a * g.dh, xi = j * g.sw - g.pl + b * g.dw;
                if (yi < 0 || yi >= g.h || xi < 0 || xi >= g.w) continue;
                const int64_t xv = x[static_cast<size_t>(((n * g.c + grp * cg + c) * g.h + yi) * g.w + xi)];
                const int64_t wv = w[static_cast<size_t>(((m * cg + c) * g.kh + a) * g.kw + b)];
                s += (xv - xz) * (wv - z);
              }
            }
          }
          y[static_cast<size_t>(((n * g.m + m) * oh + i) * ow + j)] = s;
        }
      }
    }
  }
  return y;
}

// onnxruntime's requantization: float multiplier, round half to even, zero point, saturation.
template <typename Y>
Y Requantize(int64_t acc, float scale, int32_t zp) {
  const float f = static_cast<float>(acc) * scale;
  const long q = std::lrint(std::nearbyint(f)) + zp;
  return static_cast<Y>(std::clamp<long>(q, std::numeric_limits<Y>::min(), std::numeric_limits<Y>::max()));
}

template <typename X, typename W, typename Y>
void RunQLinearConv(const Conv2D& g, bool per_channel, bool w_zero, bool constant_w, uint32_t seed) {
  std::mt19937 rng(seed);
  const int64_t cg = g.c / g.group;
  const auto x = Random<X>(rng, g.n * g.c * g.h * g.w);
  const auto w = Random<W>(rng, g.m * cg * g.kh * g.kw);
  const X xz = Random<X>(rng, 1)[0];
  std::vector<W> wz(per_channel ? static_cast<size_t>(g.m) : 1, W{0});
  if (w_zero) wz = Random<W>(rng, static_cast<int64_t>(wz.size()));
  std::vector<float> ws(wz.size());
  std::uniform_real_distribution<float> sd(0.001f, 0.02f);
  for (auto& s : ws) s = sd(rng);
  const float xs = 0.05f, ys = 0.7f;
  const Y yz = Random<Y>(rng, 1, -20, 20)[0];
  const auto bias = Random<int32_t>(rng, g.m, -3000, 3000);
  std::vector<int32_t> wz32(wz.begin(), wz.end());
  const auto acc = ConvReference(g, x, xz, w, wz32);
  const int64_t plane = g.oh() * g.ow();
  std::vector<Y> want(acc.size());
  for (size_t i = 0; i < acc.size(); ++i) {
    const auto m = static_cast<size_t>((static_cast<int64_t>(i) / plane) % g.m);
    want[i] = Requantize<Y>(acc[i] + bias[m], xs * ws[per_channel ? m : 0] / ys, yz);
  }
  OpTest t("QLinearConv", 10);
  t.AddAttr("group", g.group);
  t.AddAttr("strides", std::vector<int64_t>{g.sh, g.sw});
  t.AddAttr("dilations", std::vector<int64_t>{g.dh, g.dw});
  t.AddAttr("pads", std::vector<int64_t>{g.pt, g.pl, g.pb, g.pr});
  t.AddInput<X>("x", {g.n, g.c, g.h, g.w}, x);
  t.AddInput<float>("x_scale", {}, {xs});
  t.AddInput<X>("x_zero_point", {}, {xz});
  const Shape wshape = {g.m, cg, g.kh, g.kw};
  if (constant_w) {
    t.AddConstantInput<W>("w", wshape, w);
  } else {
    t.AddInput<W>("w", wshape, w);
  }
  const Shape sshape = per_channel ? Shape{g.m} : Shape{};
  t.AddConstantInput<float>("w_scale", sshape, ws);
  t.AddInput<W>("w_zero_point", sshape, wz);
  t.AddInput<float>("y_scale", {}, {ys});
  t.AddInput<Y>("y_zero_point", {}, {yz});
  t.AddConstantInput<int32_t>("B", {g.m}, bias);
  t.AddOutput<Y>("y", {g.n, g.m, g.oh(), g.ow()}, want);
  t.Run();
}

TEST(Int8Random, QLinearConvChannelsLastStridedPadded) {
  // 16 channels a group: rows gathered from a channels-last copy of the input.
  RunQLinearConv<uint8_t, int8_t, uint8_t>({1, 16, 9, 11, 24, 3, 3, 1, 2, 2, 1, 1, 1, 1, 1, 1}, true, false, true, 1);
  RunQLinearConv<uint8_t, int8_t, uint8_t>({2, 32, 7, 7, 70, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1}, true, false, false, 2);
  // Several 64-pixel blocks, the last partial, each gathered as the product reaches it; two groups, two images.
  RunQLinearConv<uint8_t, int8_t, uint8_t>({2, 32, 13, 11, 24, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1}, true, true, true, 12);
  RunQLinearConv<int8_t, int8_t, int8_t>({1, 64, 12, 16, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1}, true, false, true, 13);
}

TEST(Int8Random, QLinearConvGroupsDilationSignedInput) {
  RunQLinearConv<int8_t, int8_t, int8_t>({1, 16, 10, 9, 6, 3, 2, 2, 1, 2, 2, 1, 2, 0, 1, 2}, true, true, true, 3);
  RunQLinearConv<int8_t, uint8_t, uint8_t>({1, 18, 6, 6, 9, 2, 2, 3, 1, 1, 1, 1, 0, 1, 1, 0}, false, true, true, 4);
}

TEST(Int8Random, QLinearConvFewChannelsIm2Col) {
  // 3 channels (the first layer of image networks): im2col's matrix, transposed.
  RunQLinearConv<uint8_t, int8_t, uint8_t>({1, 3, 17, 15, 20, 5, 5, 1, 2, 2, 1, 1, 2, 2, 1, 3}, true, true, true, 5);
  RunQLinearConv<uint8_t, uint8_t, int8_t>({2, 4, 8, 8, 6, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1}, true, true, false, 6);
  // Several 64-pixel blocks whose edges cut output rows (im2col's columns built a block at a time), stride 3 and
  // dilation 2 with uneven pads, two images.
  RunQLinearConv<uint8_t, int8_t, uint8_t>({1, 3, 23, 19, 16, 3, 3, 1, 2, 2, 1, 1, 1, 1, 1, 1}, true, false, true, 14);
  RunQLinearConv<int8_t, int8_t, int8_t>({2, 5, 30, 26, 7, 3, 2, 1, 3, 1, 2, 2, 2, 0, 1, 3}, false, true, true, 15);
}

TEST(Int8Random, QLinearConvPointwise) {
  // 1x1, stride 1: the input itself is A.
  RunQLinearConv<uint8_t, int8_t, uint8_t>({2, 40, 5, 13, 33, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0}, true, false, true, 7);
  RunQLinearConv<int8_t, int8_t, int8_t>({1, 20, 4, 4, 17, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0}, false, true, true, 8);
  // 1x1 with stride 2: gathered.
  RunQLinearConv<uint8_t, int8_t, uint8_t>({1, 24, 9, 9, 16, 1, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0}, true, false, true, 9);
}

TEST(Int8Random, QLinearConvDepthwise) {
  RunQLinearConv<uint8_t, int8_t, uint8_t>({2, 12, 9, 10, 12, 3, 3, 12, 1, 1, 1, 1, 1, 1, 1, 1}, true, false, true, 10);
  RunQLinearConv<uint8_t, uint8_t, int8_t>({1, 8, 11, 7, 8, 5, 3, 8, 2, 1, 1, 2, 2, 1, 0, 2}, true, true, true, 11);
}

TEST(Int8Random, ConvIntegerChannelsLastAndIm2Col) {
  for (const Conv2D& g : {Conv2D{1, 16, 8, 9, 20, 3, 3, 1, 1, 2, 1, 1, 1, 0, 1, 1},
                          Conv2D{2, 2, 7, 6, 3, 2, 3, 1, 1, 1, 2, 1, 0, 1, 1, 0}}) {
    std::mt19937 rng(static_cast<uint32_t>(g.c));
    const auto x = Random<uint8_t>(rng, g.n * g.c * g.h * g.w);
    const auto w = Random<uint8_t>(rng, g.m * g.c * g.kh * g.kw);
    const uint8_t xz = 131;
    const auto wz = Random<uint8_t>(rng, g.m);
    const auto acc = ConvReference(g, x, xz, w, std::vector<int32_t>(wz.begin(), wz.end()));
    OpTest t("ConvInteger", 10);
    t.AddAttr("strides", std::vector<int64_t>{g.sh, g.sw});
    t.AddAttr("dilations", std::vector<int64_t>{g.dh, g.dw});
    t.AddAttr("pads", std::vector<int64_t>{g.pt, g.pl, g.pb, g.pr});
    t.AddInput<uint8_t>("x", {g.n, g.c, g.h, g.w}, x);
    t.AddConstantInput<uint8_t>("w", {g.m, g.c, g.kh, g.kw}, w);
    t.AddInput<uint8_t>("x_zero_point", {}, {xz});
    t.AddInput<uint8_t>("w_zero_point", {g.m}, wz);
    t.AddOutput<int32_t>("y", {g.n, g.m, g.oh(), g.ow()}, std::vector<int32_t>(acc.begin(), acc.end()));
    t.Run();
  }
}

// MatMulInteger with a zero point per row of A and per column of B (the non-separable correction), batches
// broadcast against a 3-D B given at run time, and a constant 2-D B.
TEST(Int8Random, MatMulIntegerBatchedPerRowAndColumnZeroPoints) {
  std::mt19937 rng(21);
  const int64_t m = 37, k = 50, n = 33;
  for (bool batched_b : {false, true}) {
    const int64_t bb = batched_b ? 3 : 1;
    const auto a = Random<uint8_t>(rng, 2 * m * k);
    const auto b = Random<int8_t>(rng, bb * k * n);
    const auto za = Random<uint8_t>(rng, m);
    const auto zb = Random<int8_t>(rng, n);
    const int64_t batches = batched_b ? 6 : 2;
    std::vector<int32_t> want(static_cast<size_t>(batches * m * n));
    for (int64_t t = 0; t < batches; ++t) {
      const int64_t ta = batched_b ? t / 3 : t, tb = batched_b ? t % 3 : 0;
      for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) {
          int64_t s = 0;
          for (int64_t l = 0; l < k; ++l) {
            s += (int64_t{a[static_cast<size_t>((ta * m + i) * k + l)]} - za[static_cast<size_t>(i)]) *
                 (int64_t{b[static_cast<size_t>((tb * k + l) * n + j)]} - zb[static_cast<size_t>(j)]);
          }
          want[static_cast<size_t>((t * m + i) * n + j)] = static_cast<int32_t>(s);
        }
      }
    }
    OpTest t("MatMulInteger", 10);
    if (batched_b) {
      t.AddInput<uint8_t>("A", {2, 1, m, k}, a);
      t.AddInput<int8_t>("B", {3, k, n}, b);
    } else {
      t.AddInput<uint8_t>("A", {2, m, k}, a);
      t.AddConstantInput<int8_t>("B", {k, n}, b);
    }
    t.AddInput<uint8_t>("a_zero_point", {m}, za);
    t.AddInput<int8_t>("b_zero_point", {n}, zb);
    t.AddOutput<int32_t>("Y", batched_b ? Shape{2, 3, m, n} : Shape{2, m, n}, want);
    t.Run();
  }
}

// QLinearMatMul: the fused path (per-tensor a_scale, per-column b scale and zero point) and the fallback (a
// per-row a_scale), for a row vector (GEMV) and a matrix.
TEST(Int8Random, QLinearMatMulFusedAndPerRowScale) {
  std::mt19937 rng(33);
  for (int64_t m : {1, 4, 29}) {
    for (bool per_row_a : {false, true}) {
      const int64_t k = 70, n = 21;
      const auto a = Random<uint8_t>(rng, m * k);
      const auto b = Random<int8_t>(rng, k * n);
      const uint8_t za = 120;
      const auto zb = Random<int8_t>(rng, n, -10, 10);
      std::vector<float> sa(per_row_a ? static_cast<size_t>(m) : 1), sb(static_cast<size_t>(n));
      std::uniform_real_distribution<float> sd(0.001f, 0.03f);
      for (auto& s : sa) s = sd(rng);
      for (auto& s : sb) s = sd(rng);
      const float sy = 0.05f;
      const uint8_t zy = 100;
      std::vector<uint8_t> want(static_cast<size_t>(m * n));
      for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) {
          int64_t s = 0;
          for (int64_t l = 0; l < k; ++l) {
            s += (int64_t{a[static_cast<size_t>(i * k + l)]} - za) *
                 (int64_t{b[static_cast<size_t>(l * n + j)]} - zb[static_cast<size_t>(j)]);
          }
          const float mult = sa[per_row_a ? static_cast<size_t>(i) : 0] * sb[static_cast<size_t>(j)] / sy;
          want[static_cast<size_t>(i * n + j)] = Requantize<uint8_t>(s, mult, zy);
        }
      }
      OpTest t("QLinearMatMul", 10);
      t.AddInput<uint8_t>("a", {m, k}, a);
      t.AddInput<float>("a_scale", per_row_a ? Shape{m} : Shape{}, sa);
      t.AddInput<uint8_t>("a_zero_point", {}, {za});
      t.AddConstantInput<int8_t>("b", {k, n}, b);
      t.AddInput<float>("b_scale", {n}, sb);
      t.AddInput<int8_t>("b_zero_point", {n}, zb);
      t.AddInput<float>("y_scale", {}, {sy});
      t.AddInput<uint8_t>("y_zero_point", {}, {zy});
      t.AddOutput<uint8_t>("y", {m, n}, want);
      t.Run();
    }
  }
}

// QuantizeLinear and DequantizeLinear per axis and per tensor on lengths that leave vector tails, with exact
// halves, saturation and NaN (the lowest value, as onnxruntime gives).
template <typename Q>
void RunQuantizeRoundTrip(bool per_axis) {
  std::mt19937 rng(per_axis ? 41 : 42);
  const int64_t outer = 2, axis = 5, inner = 37, total = outer * axis * inner;
  std::vector<float> x(static_cast<size_t>(total));
  std::uniform_real_distribution<float> xd(-40.0f, 40.0f);
  for (auto& v : x) v = xd(rng);
  x[3] = 2.5f;  // with scale 1: a tie, rounds to 2
  x[4] = 1e9f;
  x[5] = std::nanf("");
  std::vector<float> scales(per_axis ? static_cast<size_t>(axis) : 1);
  for (size_t i = 0; i < scales.size(); ++i) scales[i] = i == 0 ? 1.0f : 0.1f * static_cast<float>(i + 1);
  const auto zps = Random<Q>(rng, static_cast<int64_t>(scales.size()), -20, 20);
  std::vector<Q> q(x.size());
  std::vector<float> back(x.size());
  for (int64_t i = 0; i < total; ++i) {
    const size_t s = per_axis ? static_cast<size_t>((i / inner) % axis) : 0;
    const float f = x[static_cast<size_t>(i)] / scales[s];
    const float lo = static_cast<float>(std::numeric_limits<Q>::min()) - zps[s];
    const float hi = static_cast<float>(std::numeric_limits<Q>::max()) - zps[s];
    const float c = f > lo ? (f < hi ? f : hi) : lo;
    q[static_cast<size_t>(i)] = static_cast<Q>(std::lrint(std::nearbyint(c)) + zps[s]);
    back[static_cast<size_t>(i)] = static_cast<float>(int32_t{q[static_cast<size_t>(i)]} - zps[s]) * scales[s];
  }
  const Shape sshape = per_axis ? Shape{axis} : Shape{};
  {
    OpTest t("QuantizeLinear", 13);
    t.AddInput<float>("x", {outer, axis, inner}, x);
    t.AddInput<float>("y_scale", sshape, scales);
    t.AddInput<Q>("y_zero_point", sshape, zps);
    t.AddOutput<Q>("y", {outer, axis, inner}, q);
    t.Run();
  }
  {
    OpTest t("DequantizeLinear", 13);
    t.AddInput<Q>("x", {outer, axis, inner}, q);
    t.AddInput<float>("x_scale", sshape, scales);
    t.AddInput<Q>("x_zero_point", sshape, zps);
    t.AddOutput<float>("y", {outer, axis, inner}, back);
    t.SetTolerance(0, 0);
    t.Run();
  }
}

TEST(Int8Random, QuantizeDequantizePerAxisAndPerTensor) {
  RunQuantizeRoundTrip<uint8_t>(true);
  RunQuantizeRoundTrip<uint8_t>(false);
  RunQuantizeRoundTrip<int8_t>(true);
  RunQuantizeRoundTrip<int8_t>(false);
}

}  // namespace
}  // namespace onyx::test
