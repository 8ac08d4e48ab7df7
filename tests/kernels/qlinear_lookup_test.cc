// com.microsoft QLinearSigmoid and QLinearLeakyRelu over every 8-bit input value, with the table built at kernel
// creation (constant scales) and at run time.
#include <cmath>

#include "kernels/op_test.h"
#include "kernels/qlinear_test_util.h"

namespace onyx::test {
namespace {

template <typename T, typename F>
void RunLookup(const char* op, F fn, float alpha, bool constant, int zx, int zy, double sx, double sy) {
  std::vector<T> x(256), y(256);
  for (int i = 0; i < 256; ++i) {
    x[static_cast<size_t>(i)] = static_cast<T>(i + std::numeric_limits<T>::min());
    // The kernel evaluates f in float, as onnxruntime does; the reference does too.
    const float real = static_cast<float>((x[static_cast<size_t>(i)] - zx) * sx);
    y[static_cast<size_t>(i)] = qref::Quantize<T>(static_cast<double>(fn(real)), sy, zy);
  }
  OpTest t(op, 1, qref::kMs);
  if (alpha != 0) t.AddAttr("alpha", alpha);
  t.AddInput<T>("X", {4, 64}, x);
  if (constant) {
    t.AddConstantInput<float>("X_scale", {}, {static_cast<float>(sx)});
    t.AddConstantInput<T>("X_zero_point", {}, {static_cast<T>(zx)});
    t.AddConstantInput<float>("Y_scale", {}, {static_cast<float>(sy)});
    t.AddConstantInput<T>("Y_zero_point", {}, {static_cast<T>(zy)});
  } else {
    t.AddInput<float>("X_scale", {}, {static_cast<float>(sx)});
    t.AddInput<T>("X_zero_point", {}, {static_cast<T>(zx)});
    t.AddInput<float>("Y_scale", {}, {static_cast<float>(sy)});
    t.AddInput<T>("Y_zero_point", {}, {static_cast<T>(zy)});
  }
  t.AddOutput<T>("Y", {4, 64}, y);
  t.Run();
}

float Sigmoid(float v) { return 1.0f / (1.0f + std::exp(-v)); }

TEST(QLinearSigmoid, Uint8Constant) {
  RunLookup<uint8_t>("QLinearSigmoid", Sigmoid, 0, true, 128, 3, 0.0625, 1.0 / 256);
}
TEST(QLinearSigmoid, Int8RunTime) { RunLookup<int8_t>("QLinearSigmoid", Sigmoid, 0, false, -5, -128, 0.05, 1.0 / 256); }

TEST(QLinearLeakyRelu, Int8Constant) {
  RunLookup<int8_t>(
      "QLinearLeakyRelu", [](float v) { return v >= 0 ? v : 0.125f * v; }, 0.125f, true, 7, -20, 0.25, 0.125);
}
TEST(QLinearLeakyRelu, Uint8RunTime) {
  RunLookup<uint8_t>(
      "QLinearLeakyRelu", [](float v) { return v >= 0 ? v : 0.5f * v; }, 0.5f, false, 100, 50, 0.5, 0.25);
}

TEST(QLinearSigmoid, FloatInputIsRefused) {
  OpTest t("QLinearSigmoid", 1, qref::kMs);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<float>("X_scale", {}, {1});
  t.AddMissingInput();
  t.AddInput<float>("Y_scale", {}, {1});
  t.AddMissingInput();
  t.AddOutputUnchecked("Y");
  t.RunExpectError("no kernel for operator QLinearSigmoid with these input types");
}

}  // namespace
}  // namespace onyx::test
