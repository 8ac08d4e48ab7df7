// com.microsoft MatMulIntegerToFloat and DynamicQuantizeMatMul against exact integer products: batched A,
// per-column B scale and zero point, bias; DynamicQuantizeMatMul's dynamic quantization of A written out here the
// way onnxruntime does it (range holding 0, 255 steps, zero point rounded half to even).
#include <cmath>

#include "kernels/op_test.h"
#include "kernels/qlinear_test_util.h"

namespace onyx::test {
namespace {

// symmetric: B's zero point is 0 and its values fit int8 once centered, so a constant B takes the packed 8-bit
// GEMM (Qgemm); otherwise the int32 product.
template <typename TA, typename TB>
void RunToFloat(bool b_constant, int64_t m = 3, int64_t k = 5, int64_t n = 7, bool symmetric = false) {
  const int64_t batch = 2;
  const std::vector<TA> a = qref::Data<TA>(static_cast<int>(batch * m * k), 3);
  const std::vector<TB> b = qref::Data<TB>(static_cast<int>(k * n), 4);
  const float sa = 0.125f;
  const int za = 11;
  std::vector<float> sb(n), bias(n);
  std::vector<TB> zb(n);
  for (int64_t j = 0; j < n; ++j) {
    sb[static_cast<size_t>(j)] = 0.25f * static_cast<float>(j + 1);
    bias[static_cast<size_t>(j)] = 0.5f * static_cast<float>(j) - 1.0f;
    zb[static_cast<size_t>(j)] = symmetric ? TB{0} : static_cast<TB>(static_cast<int>(j) * 3 - 4);
  }
  std::vector<float> y;
  for (int64_t t = 0; t < batch; ++t) {
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        int64_t acc = 0;
        for (int64_t l = 0; l < k; ++l) {
          acc += (a[static_cast<size_t>((t * m + i) * k + l)] - za) *
                 (b[static_cast<size_t>(l * n + j)] - zb[static_cast<size_t>(j)]);
        }
        y.push_back(static_cast<float>(acc * sa * sb[static_cast<size_t>(j)] + bias[static_cast<size_t>(j)]));
      }
    }
  }
  OpTest t("MatMulIntegerToFloat", 1, qref::kMs);
  t.AddInput<TA>("A", {batch, m, k}, a);
  if (b_constant) {
    t.AddConstantInput<TB>("B", {k, n}, b);
  } else {
    t.AddInput<TB>("B", {k, n}, b);
  }
  t.AddInput<float>("a_scale", {}, {sa});
  t.AddInput<float>("b_scale", {n}, sb);
  t.AddInput<TA>("a_zero_point", {}, {static_cast<TA>(za)});
  if (b_constant) {
    t.AddConstantInput<TB>("b_zero_point", {n}, zb);
  } else {
    t.AddInput<TB>("b_zero_point", {n}, zb);
  }
  t.AddInput<float>("bias", {n}, bias);
  t.AddOutput<float>("Y", {batch, m, n}, y);
  t.Run();
}

TEST(MatMulIntegerToFloat, Uint8Int8ConstantB) { RunToFloat<uint8_t, int8_t>(true); }
TEST(MatMulIntegerToFloat, Int8Uint8) { RunToFloat<int8_t, uint8_t>(false); }
// Row counts below and above a 16-row tile, odd k and n (partial K groups and column panels).
TEST(MatMulIntegerToFloat, SymmetricConstantBTakesQgemm) {
  for (int64_t m : {1, 3, 37}) {
    RunToFloat<uint8_t, int8_t>(true, m, 67, 45, true);
    RunToFloat<int8_t, int8_t>(true, m, 67, 45, true);
  }
}
// A B that is an input: packed per call for Qgemm (one zero point), or the int32 product (per-column ones).
TEST(MatMulIntegerToFloat, InputBTakesQgemm) {
  for (int64_t m : {1, 37}) {
    RunToFloat<uint8_t, uint8_t>(false, m, 67, 45, true);
    RunToFloat<int8_t, int8_t>(false, m, 67, 45, true);
    RunToFloat<uint8_t, int8_t>(false, m, 67, 45, false);
  }
}

template <typename TB>
void RunDynamic(bool with_zp) {
  const int64_t m = 3, k = 5, n = 4;
  std::vector<float> a(static_cast<size_t>(m * k));
  for (size_t i = 0; i < a.size(); ++i) a[i] = std::sin(static_cast<float>(i) * 1.7f) * 2.5f + 0.5f;
  const std::vector<TB> b = qref::Data<TB>(static_cast<int>(k * n), 5);
  const float sb = 0.0625f;
  const int zb = with_zp ? 6 : 0;
  float lo = 0, hi = 0;
  for (float v : a) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  const float sa = (hi - lo) / 255.0f;
  const int za = static_cast<int>(std::nearbyint(std::clamp(-lo / sa, 0.0f, 255.0f)));
  std::vector<float> y;
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      int64_t acc = 0;
      for (int64_t l = 0; l < k; ++l) {
        const int qa = qref::Quantize<uint8_t>(a[static_cast<size_t>(i * k + l)], sa, za);
        acc += (qa - za) * (b[static_cast<size_t>(l * n + j)] - zb);
      }
      y.push_back(static_cast<float>(acc) * (sa * sb));
    }
  }
  OpTest t("DynamicQuantizeMatMul", 1, qref::kMs);
  t.AddInput<float>("A", {m, k}, a);
  t.AddConstantInput<TB>("B", {k, n}, b);
  t.AddInput<float>("b_scale", {}, {sb});
  if (with_zp) {
    t.AddInput<TB>("b_zero_point", {}, {static_cast<TB>(zb)});
  }
  t.AddOutput<float>("Y", {m, n}, y);
  t.SetTolerance(1e-5, 1e-5);
  t.Run();
}

TEST(DynamicQuantizeMatMul, Int8Weights) { RunDynamic<int8_t>(false); }
TEST(DynamicQuantizeMatMul, Uint8WeightsWithZeroPoint) { RunDynamic<uint8_t>(true); }

}  // namespace
}  // namespace onyx::test
