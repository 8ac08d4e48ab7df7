// Generated expected values come from the ONNX reference evaluator (onnx.reference).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

TEST(MlScaler, PerFeature) {
  OpTest t("Scaler", 1, "ai.onnx.ml");
  t.AddAttr("offset", std::vector<float>{1.0f, 2.0f, 3.0f});
  t.AddAttr("scale", std::vector<float>{0.5f, 2.0f, -1.0f});
  t.AddInput<float>("X", {2, 3}, {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f});
  t.AddOutput<float>("Y", {2, 3}, {0.0f, 0.0f, -0.0f, 1.5f, 6.0f, -3.0f});
  t.Run();
}

TEST(MlScaler, ScalarInt64) {
  OpTest t("Scaler", 1, "ai.onnx.ml");
  t.AddAttr("offset", std::vector<float>{2.0f});
  t.AddAttr("scale", std::vector<float>{0.25f});
  t.AddInput<int64_t>("X", {2, 2}, {1, 2, 3, 10});
  t.AddOutput<float>("Y", {2, 2}, {-0.25f, 0.0f, 0.25f, 2.0f});
  t.Run();
}

TEST(MlScaler, Double) {
  OpTest t("Scaler", 1, "ai.onnx.ml");
  t.AddAttr("offset", std::vector<float>{0.5f, -0.5f});
  t.AddAttr("scale", std::vector<float>{3.0f});
  t.AddInput<double>("X", {2, 2}, {1.0, 2.0, 3.0, 4.0});
  t.AddOutput<float>("Y", {2, 2}, {1.5f, 7.5f, 7.5f, 13.5f});
  t.Run();
}

TEST(MlScaler, Int32) {
  OpTest t("Scaler", 1, "ai.onnx.ml");
  t.AddAttr("scale", std::vector<float>{2.0f});
  t.AddInput<int32_t>("X", {3}, {1, -2, 3});
  t.AddOutput<float>("Y", {3}, {2.0f, -4.0f, 6.0f});
  t.Run();
}

TEST(MlScaler, OffsetLengthMustMatchFeatures) {
  OpTest t("Scaler", 1, "ai.onnx.ml");
  t.AddAttr("offset", std::vector<float>{1.0f, 2.0f});
  t.AddInput<float>("X", {1, 3}, {1, 2, 3});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("offset");
}

}  // namespace
}  // namespace onyx::test
