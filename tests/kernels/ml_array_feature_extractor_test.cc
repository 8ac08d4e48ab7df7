// Generated expected values come from the ONNX reference evaluator (onnx.reference).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

TEST(MlArrayFeatureExtractor, Float2D) {
  OpTest t("ArrayFeatureExtractor", 1, "ai.onnx.ml");
  t.AddInput<float>("X", {3, 4}, {0.0f, 1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f, 7.0f, 8.0f, 9.0f, 10.0f, 11.0f});
  t.AddInput<int64_t>("Y", {3}, {0, 3, 1});
  t.AddOutput<float>("Z", {3, 3}, {0.0f, 3.0f, 1.0f, 4.0f, 7.0f, 5.0f, 8.0f, 11.0f, 9.0f});
  t.Run();
}

TEST(MlArrayFeatureExtractor, Int64ThreeD) {
  OpTest t("ArrayFeatureExtractor", 1, "ai.onnx.ml");
  t.AddInput<int64_t>("X", {2, 2, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  t.AddInput<int64_t>("Y", {2}, {2, 2});
  t.AddOutput<int64_t>("Z", {2, 2, 2}, {2, 2, 5, 5, 8, 8, 11, 11});
  t.Run();
}

TEST(MlArrayFeatureExtractor, String) {
  OpTest t("ArrayFeatureExtractor", 1, "ai.onnx.ml");
  t.AddInput<std::string>("X", {2, 3}, {"a", "b", "c", "d", "e", "f"});
  t.AddInput<int64_t>("Y", {1}, {1});
  t.AddOutput<std::string>("Z", {2, 1}, {"b", "e"});
  t.Run();
}

TEST(MlArrayFeatureExtractor, DoubleOneDGivesRow) {
  OpTest t("ArrayFeatureExtractor", 1, "ai.onnx.ml");
  t.AddInput<double>("X", {3}, {1.5, 2.5, 3.5});
  t.AddInput<int64_t>("Y", {2}, {2, 0});
  t.AddOutput<double>("Z", {1, 2}, {3.5, 1.5});
  t.Run();
}

TEST(MlArrayFeatureExtractor, Int32) {
  OpTest t("ArrayFeatureExtractor", 1, "ai.onnx.ml");
  t.AddInput<int32_t>("X", {2, 2}, {1, 2, 3, 4});
  t.AddInput<int64_t>("Y", {1}, {1});
  t.AddOutput<int32_t>("Z", {2, 1}, {2, 4});
  t.Run();
}

TEST(MlArrayFeatureExtractor, IndexOutOfRange) {
  OpTest t("ArrayFeatureExtractor", 1, "ai.onnx.ml");
  t.AddInput<float>("X", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int64_t>("Y", {2}, {0, 3});
  t.AddOutputUnchecked("Z");
  t.RunExpectError("out of range");
}

TEST(MlArrayFeatureExtractor, NegativeIndex) {
  OpTest t("ArrayFeatureExtractor", 1, "ai.onnx.ml");
  t.AddInput<float>("X", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int64_t>("Y", {1}, {-1});
  t.AddOutputUnchecked("Z");
  t.RunExpectError("out of range");
}

}  // namespace
}  // namespace onyx::test
