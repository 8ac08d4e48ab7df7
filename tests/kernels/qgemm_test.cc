// com.microsoft QGemm against an exact integer product: transposes, per-column B scale and zero point, an int32
// bias broadcast over rows, a float output (no y_scale) and a quantized one; B constant (centered at kernel
// creation) and not.
#include "kernels/op_test.h"
#include "kernels/qlinear_test_util.h"

namespace onyx::test {
namespace {

template <typename TA, typename TB, typename TY>
void RunQGemm(bool trans_a, bool trans_b, bool b_constant, bool quantized_out) {
  const int64_t m = 3, k = 5, n = 4;
  const float alpha = 0.5f, sa = 0.25f;
  const std::vector<float> sb = {0.5f, 0.25f, 1.0f, 0.125f};
  const int za = 7;
  const std::vector<int> zb = {3, -2, 0, 5};
  const std::vector<TA> a = qref::Data<TA>(static_cast<int>(m * k), 1);
  const std::vector<TB> b = qref::Data<TB>(static_cast<int>(k * n), 2);
  const std::vector<int32_t> c = {100, -250, 7, 0};
  auto av = [&](int64_t i, int64_t l) { return a[static_cast<size_t>(trans_a ? l * m + i : i * k + l)]; };
  auto bv = [&](int64_t l, int64_t j) { return b[static_cast<size_t>(trans_b ? j * k + l : l * n + j)]; };
  const float sy = 4.0f;
  const int zy = 9;
  std::vector<float> yf;
  std::vector<TY> yq;
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      int64_t acc = c[static_cast<size_t>(j)];
      const int zbj = static_cast<TB>(zb[static_cast<size_t>(j)]);  // -2 is 254 as uint8
      for (int64_t l = 0; l < k; ++l) acc += (av(i, l) - za) * (bv(l, j) - zbj);
      const double real = static_cast<double>(acc) * alpha * sa * sb[static_cast<size_t>(j)];
      yf.push_back(static_cast<float>(real));
      yq.push_back(qref::Quantize<TY>(real, sy, zy));
    }
  }
  OpTest t("QGemm", 1, qref::kMs);
  t.AddAttr("alpha", alpha);
  t.AddAttr("transA", int64_t{trans_a ? 1 : 0});
  t.AddAttr("transB", int64_t{trans_b ? 1 : 0});
  t.AddInput<TA>("A", trans_a ? Shape{k, m} : Shape{m, k}, a);
  t.AddInput<float>("a_scale", {}, {sa});
  t.AddInput<TA>("a_zero_point", {}, {static_cast<TA>(za)});
  std::vector<TB> zbt(zb.begin(), zb.end());
  if (b_constant) {
    t.AddConstantInput<TB>("B", trans_b ? Shape{n, k} : Shape{k, n}, b);
    t.AddInput<float>("b_scale", {n}, sb);
    t.AddConstantInput<TB>("b_zero_point", {n}, zbt);
  } else {
    t.AddInput<TB>("B", trans_b ? Shape{n, k} : Shape{k, n}, b);
    t.AddInput<float>("b_scale", {n}, sb);
    t.AddInput<TB>("b_zero_point", {n}, zbt);
  }
  t.AddInput<int32_t>("C", {1, n}, c);
  if (quantized_out) {
    t.AddInput<float>("y_scale", {}, {sy});
    t.AddInput<TY>("y_zero_point", {}, {static_cast<TY>(zy)});
    t.AddOutput<TY>("Y", {m, n}, yq);
  } else {
    t.AddOutput<float>("Y", {m, n}, yf);
  }
  t.Run();
}

TEST(QGemm, Uint8Int8FloatOut) { RunQGemm<uint8_t, int8_t, float>(false, false, false, false); }
TEST(QGemm, Uint8Int8ConstantBTransposed) { RunQGemm<uint8_t, int8_t, uint8_t>(false, true, true, true); }
TEST(QGemm, Int8Int8TransposedA) { RunQGemm<int8_t, int8_t, int8_t>(true, false, true, true); }
TEST(QGemm, Uint8Uint8BothTransposed) { RunQGemm<uint8_t, uint8_t, uint8_t>(true, true, false, true); }

TEST(QGemm, InnerDimMismatchIsRefused) {
  OpTest t("QGemm", 1, qref::kMs);
  t.AddInput<uint8_t>("A", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<float>("a_scale", {}, {1});
  t.AddInput<uint8_t>("a_zero_point", {}, {0});
  t.AddInput<int8_t>("B", {2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("b_scale", {}, {1});
  t.AddInput<int8_t>("b_zero_point", {}, {0});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("inner dims");
}

}  // namespace
}  // namespace onyx::test
