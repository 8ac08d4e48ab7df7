// onnxruntime's com.microsoft QuantizeLinear and DequantizeLinear (written by its QDQ quantizer with
// UseQDQContribOps): the standard operators' semantics, per tensor and per axis.
#include "kernels/op_test.h"
#include "kernels/qlinear_test_util.h"

namespace onyx::test {
namespace {

TEST(MsQuantizeLinear, PerAxisInt8) {
  OpTest t("QuantizeLinear", 1, qref::kMs);
  t.AddAttr("axis", int64_t{1});
  t.AddInput<float>("x", {2, 3}, {-1.0f, 0.3f, 2.5f, 100.0f, -0.75f, 0.5f});
  t.AddInput<float>("y_scale", {3}, {0.5f, 0.25f, 1.0f});
  t.AddInput<int8_t>("y_zero_point", {3}, {1, -2, 0});
  // -1/0.5+1 = -1; 0.3/0.25 = 1.2 -> 1, -2 -> -1; 2.5 -> 2 (half to even); 100/0.5+1 saturates; -3-2; 0.5 -> 0.
  t.AddOutput<int8_t>("y", {2, 3}, {-1, -1, 2, 127, -5, 0});
  t.Run();
}

TEST(MsDequantizeLinear, PerTensorUint8) {
  OpTest t("DequantizeLinear", 1, qref::kMs);
  t.AddInput<uint8_t>("x", {4}, {0, 10, 128, 255});
  t.AddInput<float>("x_scale", {}, {0.5f});
  t.AddInput<uint8_t>("x_zero_point", {}, {10});
  t.AddOutput<float>("y", {4}, {-5.0f, 0.0f, 59.0f, 122.5f});
  t.Run();
}

}  // namespace
}  // namespace onyx::test
