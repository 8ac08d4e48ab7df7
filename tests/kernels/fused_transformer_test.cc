// The com.onyx transformer kernels (Gelu, BiasGelu, LayerNormalization, SkipLayerNormalization, Attention):
// values against the formulas computed in double, and bad inputs rejected with errors naming the node.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "kernels/op_test.h"

namespace onyx {
namespace {

std::vector<float> Ramp(int n, float start, float step) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = start + step * static_cast<float>(i);
  return v;
}

double GeluRef(double x, bool tanh_form) {
  if (tanh_form) return 0.5 * x * (1 + std::tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
  return 0.5 * x * std::erfc(-x / std::sqrt(2.0));
}

TEST(FusedTransformerKernels, GeluMatchesFormulas) {
  std::vector<float> x = Ramp(801, -10.0f, 0.025f);
  x.insert(x.end(), {1e-4f, -1e-4f, 30.0f, -30.0f, 0.74f * 1.4142135f, 0.76f * 1.4142135f});
  for (bool tanh_form : {false, true}) {
    test::OpTest t("Gelu", 1, "com.onyx");
    t.AddInput<float>("X", {static_cast<int64_t>(x.size())}, x);
    t.AddAttr("approximate", std::string(tanh_form ? "tanh" : "none"));
    t.AddOutputUnchecked("Y");
    auto out = t.RunAndGet();
    ASSERT_EQ(out.size(), 1u);
    const float* y = out[0].tensor().data<float>();
    for (size_t i = 0; i < x.size(); ++i) {
      const double ref = GeluRef(x[i], tanh_form);
      EXPECT_NEAR(y[i], ref, 1e-6 + 1e-5 * std::abs(ref)) << "x = " << x[i] << " tanh " << tanh_form;
    }
  }
  test::OpTest bad("Gelu", 1, "com.onyx");
  bad.AddInput<float>("X", {2}, {1, 2});
  bad.AddAttr("approximate", std::string("fast"));
  bad.AddOutputUnchecked("Y");
  bad.RunExpectError("approximate must be");
}

TEST(FusedTransformerKernels, BiasGelu) {
  const std::vector<float> x = Ramp(6, -1.5f, 0.6f), bias = {0.5f, -0.25f, 1.0f};
  std::vector<float> expected;
  for (size_t i = 0; i < x.size(); ++i) expected.push_back(static_cast<float>(GeluRef(x[i] + bias[i % 3], true)));
  test::OpTest t("BiasGelu", 1, "com.onyx");
  t.AddInput<float>("X", {2, 3}, x);
  t.AddConstantInput<float>("bias", {3}, bias);
  t.AddAttr("approximate", std::string("tanh"));
  t.AddOutput<float>("Y", {2, 3}, expected);
  t.Run();
  test::OpTest bad("BiasGelu", 1, "com.onyx");
  bad.AddInput<float>("X", {2, 3}, x);
  bad.AddInput<float>("bias", {2}, {1, 2});
  bad.AddOutputUnchecked("Y");
  bad.RunExpectError("bias must be 1-D with the size of X's last axis");
}

// Rows of `cols` normalized, scaled and shifted, in double; also each row's mean and 1/std.
void LayerNormRef(const std::vector<float>& x, int64_t cols, const std::vector<float>& gamma,
                  const std::vector<float>& beta, float eps, std::vector<float>* y, std::vector<float>* mean,
                  std::vector<float>* inv_std) {
  for (size_t r = 0; r < x.size() / static_cast<size_t>(cols); ++r) {
    double m = 0, v = 0;
    for (int64_t c = 0; c < cols; ++c) m += x[r * cols + c];
    m /= static_cast<double>(cols);
    for (int64_t c = 0; c < cols; ++c) v += (x[r * cols + c] - m) * (x[r * cols + c] - m);
    const double inv = 1.0 / std::sqrt(v / static_cast<double>(cols) + eps);
    for (int64_t c = 0; c < cols; ++c)
      y->push_back(static_cast<float>((x[r * cols + c] - m) * inv * gamma[c] + beta[c]));
    mean->push_back(static_cast<float>(m));
    inv_std->push_back(static_cast<float>(inv));
  }
}

TEST(FusedTransformerKernels, LayerNormalization) {
  const std::vector<float> x = {1, 2, 4, -1, 0, 3}, gamma = {1, 0.5f, 2}, beta = {0, 1, -1};
  std::vector<float> y, mean, inv;
  LayerNormRef(x, 3, gamma, beta, 1e-3f, &y, &mean, &inv);
  test::OpTest t("LayerNormalization", 1, "com.onyx");
  t.AddInput<float>("X", {2, 3}, x);
  t.AddConstantInput<float>("Scale", {3}, gamma);
  t.AddConstantInput<float>("B", {3}, beta);
  t.AddAttr("epsilon", 1e-3f);
  t.AddOutput<float>("Y", {2, 3}, y);
  t.AddOutput<float>("Mean", {2, 1}, mean);
  t.AddOutput<float>("InvStdDev", {2, 1}, inv);
  t.Run();
  test::OpTest scale("LayerNormalization", 1, "com.onyx");
  scale.AddInput<float>("X", {2, 3}, x);
  scale.AddInput<float>("Scale", {2}, {1, 2});
  scale.AddOutputUnchecked("Y");
  scale.RunExpectError("does not broadcast");
  test::OpTest axis("LayerNormalization", 1, "com.onyx");
  axis.AddInput<float>("X", {2, 3}, x);
  axis.AddInput<float>("Scale", {3}, gamma);
  axis.AddAttr("axis", int64_t{2});
  axis.AddOutputUnchecked("Y");
  axis.RunExpectError("out of range");
}

TEST(FusedTransformerKernels, SkipLayerNormalization) {
  const std::vector<float> in = {1, 2, 4, -1, 0, 3}, skip = {0.5f, -1, 2}, gamma = {1, 0.5f, 2}, beta = {0, 1, -1},
                           bias = {0.25f, 0, -0.5f};
  std::vector<float> sum, y, mean, inv;
  for (size_t i = 0; i < in.size(); ++i) sum.push_back((in[i] + bias[i % 3]) + skip[i % 3]);
  LayerNormRef(sum, 3, gamma, beta, 1e-5f, &y, &mean, &inv);
  test::OpTest t("SkipLayerNormalization", 1, "com.onyx");
  t.AddInput<float>("input", {2, 3}, in);
  t.AddInput<float>("skip", {3}, skip);
  t.AddConstantInput<float>("gamma", {3}, gamma);
  t.AddConstantInput<float>("beta", {3}, beta);
  t.AddConstantInput<float>("bias", {3}, bias);
  t.AddOutput<float>("Y", {2, 3}, y);
  t.AddOutput<float>("mean", {2, 1}, mean);
  t.AddOutput<float>("inv_std_var", {2, 1}, inv);
  t.AddOutput<float>("sum", {2, 3}, sum);
  t.Run();
  test::OpTest g("SkipLayerNormalization", 1, "com.onyx");
  g.AddInput<float>("input", {2, 3}, in);
  g.AddInput<float>("skip", {2, 3}, in);
  g.AddInput<float>("gamma", {2}, {1, 1});
  g.AddOutputUnchecked("Y");
  g.RunExpectError("gamma must be 1-D of size 3");
  test::OpTest s("SkipLayerNormalization", 1, "com.onyx");
  s.AddInput<float>("input", {2, 3}, in);
  s.AddInput<float>("skip", {2}, {1, 1});
  s.AddInput<float>("gamma", {3}, gamma);
  s.AddOutputUnchecked("Y");
  s.RunExpectError("skip");
}

// Self-attention in double: X [1,S,E] (E = 4), W [E, 3E], two heads, additive mask over the keys.
std::vector<float> AttentionRef(const std::vector<float>& x, const std::vector<float>& w, const std::vector<float>& b,
                                const std::vector<float>& mask, int64_t s, int64_t e, int64_t heads, double scale) {
  const int64_t d = e / heads;
  std::vector<double> qkv(static_cast<size_t>(s * 3 * e));
  for (int64_t i = 0; i < s; ++i) {
    for (int64_t j = 0; j < 3 * e; ++j) {
      double acc = b[j];
      for (int64_t k = 0; k < e; ++k) acc += static_cast<double>(x[i * e + k]) * w[k * 3 * e + j];
      qkv[i * 3 * e + j] = acc;
    }
  }
  std::vector<float> y(static_cast<size_t>(s * e));
  for (int64_t h = 0; h < heads; ++h) {
    for (int64_t i = 0; i < s; ++i) {
      std::vector<double> p(static_cast<size_t>(s));
      double mx = -1e300, total = 0;
      for (int64_t j = 0; j < s; ++j) {
        double dot = 0;
        for (int64_t k = 0; k < d; ++k) dot += qkv[i * 3 * e + h * d + k] * qkv[j * 3 * e + e + h * d + k];
        p[j] = dot * scale + mask[j];
        mx = std::max(mx, p[j]);
      }
      for (double& v : p) total += (v = std::exp(v - mx));
      for (int64_t k = 0; k < d; ++k) {
        double acc = 0;
        for (int64_t j = 0; j < s; ++j) acc += p[j] / total * qkv[j * 3 * e + 2 * e + h * d + k];
        y[i * e + h * d + k] = static_cast<float>(acc);
      }
    }
  }
  return y;
}

TEST(FusedTransformerKernels, Attention) {
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<float> x(12), w(48), b(12);
  for (auto* v : {&x, &w, &b}) {
    for (float& f : *v) f = dist(rng);
  }
  const std::vector<float> mask = {0, 0, -10000};
  test::OpTest t("Attention", 1, "com.onyx");
  t.AddInput<float>("X", {1, 3, 4}, x);
  t.AddConstantInput<float>("W", {4, 12}, w);
  t.AddConstantInput<float>("B", {12}, b);
  t.AddInput<float>("mask", {1, 1, 1, 3}, mask);
  t.AddAttr("num_heads", int64_t{2});
  t.AddAttr("scale", 0.6f);
  t.AddOutput<float>("Y", {1, 3, 4}, AttentionRef(x, w, b, mask, 3, 4, 2, 0.6f));
  t.SetTolerance(1e-5, 1e-6);
  t.Run();
  struct Bad {
    Shape w_shape, mask_shape;
    int64_t heads;
    const char* message;
  };
  for (const Bad& bad :
       {Bad{{4, 10}, {1, 3}, 2, "W must be"}, Bad{{4, 12}, {1, 3}, 3, "not a multiple of num_heads"},
        Bad{{4, 12}, {1, 1, 2, 3}, 2, "does not broadcast"}, Bad{{4, 12}, {1, 3}, 0, "num_heads must be positive"}}) {
    test::OpTest e("Attention", 1, "com.onyx");
    e.AddInput<float>("X", {1, 3, 4}, x);
    e.AddInput<float>("W", bad.w_shape, std::vector<float>(static_cast<size_t>(bad.w_shape[0] * bad.w_shape[1])));
    e.AddInput<float>("B", {12}, b);
    e.AddInput<float>("mask", bad.mask_shape, std::vector<float>(6));
    e.AddAttr("num_heads", bad.heads);
    e.AddOutputUnchecked("Y");
    e.RunExpectError(bad.message);
  }
}

}  // namespace
}  // namespace onyx
