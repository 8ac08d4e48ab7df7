// com.microsoft QLinearConcat: inputs in their own quantization, one already in the output's (copied), the others
// requantized; a middle axis, uint8 and int8.
#include "kernels/op_test.h"
#include "kernels/qlinear_test_util.h"

namespace onyx::test {
namespace {

template <typename T>
void RunConcat(int zy, const std::vector<int>& zps) {
  const double sy = 0.25;
  const std::vector<double> scales = {0.25, 0.5, 0.0625};
  const std::vector<int64_t> widths = {1, 2, 3};  // along axis 1 of [2, w, 3]
  std::vector<std::vector<T>> xs;
  for (size_t i = 0; i < 3; ++i) xs.push_back(qref::Data<T>(static_cast<int>(2 * widths[i] * 3), static_cast<int>(i)));
  std::vector<T> y;
  for (int64_t o = 0; o < 2; ++o) {
    for (size_t i = 0; i < 3; ++i) {
      const int64_t len = widths[i] * 3;
      for (int64_t k = 0; k < len; ++k) {
        const double real = (xs[i][static_cast<size_t>(o * len + k)] - zps[i]) * scales[i];
        y.push_back(qref::Quantize<T>(real, sy, zy));
      }
    }
  }
  OpTest t("QLinearConcat", 1, qref::kMs);
  t.AddAttr("axis", int64_t{-2});
  t.AddInput<float>("Y_scale", {}, {static_cast<float>(sy)});
  t.AddInput<T>("Y_zero_point", {}, {static_cast<T>(zy)});
  for (size_t i = 0; i < 3; ++i) {
    const std::string n = std::to_string(i);
    t.AddInput<T>("X" + n, {2, widths[i], 3}, xs[i]);
    t.AddInput<float>("X_scale" + n, {}, {static_cast<float>(scales[i])});
    t.AddInput<T>("X_zero_point" + n, {}, {static_cast<T>(zps[i])});
  }
  t.AddOutput<T>("Y", {2, 6, 3}, y);
  t.Run();
}

// Input 0 shares the output's scale and zero point, so it is copied as is.
TEST(QLinearConcat, Uint8) { RunConcat<uint8_t>(128, {128, 3, 200}); }
TEST(QLinearConcat, Int8) { RunConcat<int8_t>(-4, {-4, 17, -100}); }

TEST(QLinearConcat, MismatchedDimsAreRefused) {
  OpTest t("QLinearConcat", 1, qref::kMs);
  t.AddAttr("axis", int64_t{0});
  t.AddInput<float>("Y_scale", {}, {1});
  t.AddInput<uint8_t>("Y_zero_point", {}, {0});
  t.AddInput<uint8_t>("X0", {1, 2}, {1, 2});
  t.AddInput<float>("S0", {}, {1});
  t.AddInput<uint8_t>("Z0", {}, {0});
  t.AddInput<uint8_t>("X1", {1, 3}, {1, 2, 3});
  t.AddInput<float>("S1", {}, {1});
  t.AddInput<uint8_t>("Z1", {}, {0});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("outside axis");
}

}  // namespace
}  // namespace onyx::test
