// Generated expected values come from the ONNX reference evaluator (onnx.reference).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

TEST(MlBinarizer, Float) {
  OpTest t("Binarizer", 1, "ai.onnx.ml");
  t.AddAttr("threshold", 0.5f);
  t.AddInput<float>("X", {2, 3}, {0.2f, 0.5f, 0.7f, -1.0f, 3.0f, NAN});
  t.AddOutput<float>("Y", {2, 3}, {0.0f, 0.0f, 1.0f, 0.0f, 1.0f, 0.0f});
  t.Run();
}

TEST(MlBinarizer, Double) {
  OpTest t("Binarizer", 1, "ai.onnx.ml");
  t.AddAttr("threshold", -0.25f);
  t.AddInput<double>("X", {4}, {-1.0, -0.25, 0.0, 2.0});
  t.AddOutput<double>("Y", {4}, {0.0, 0.0, 1.0, 1.0});
  t.Run();
}

TEST(MlBinarizer, Int64) {
  OpTest t("Binarizer", 1, "ai.onnx.ml");
  t.AddAttr("threshold", 1.0f);
  t.AddInput<int64_t>("X", {1, 4}, {0, 1, 2, 5});
  t.AddOutput<int64_t>("Y", {1, 4}, {0, 0, 1, 1});
  t.Run();
}

TEST(MlBinarizer, Int32DefaultThreshold) {
  OpTest t("Binarizer", 1, "ai.onnx.ml");
  t.AddInput<int32_t>("X", {3}, {-2, 0, 3});
  t.AddOutput<int32_t>("Y", {3}, {0, 0, 1});
  t.Run();
}

}  // namespace
}  // namespace onyx::test
