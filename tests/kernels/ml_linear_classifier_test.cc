// Generated expected values come from the ONNX reference evaluator (onnx.reference).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

TEST(MlLinearClassifier, ThreeClasses) {
  OpTest t("LinearClassifier", 1, "ai.onnx.ml");
  t.AddAttr("coefficients", std::vector<float>{1.0f, 0.0f, 0.0f, 1.0f, 1.0f, 1.0f});
  t.AddAttr("intercepts", std::vector<float>{0.0f, 0.5f, -1.0f});
  t.AddAttr("classlabels_ints", std::vector<int64_t>{10, 20, 30});
  t.AddInput<float>("X", {3, 2}, {2.0f, 1.0f, 0.0f, 1.0f, 1.0f, 3.0f});
  t.AddOutput<int64_t>("Y", {3}, {10, 20, 20});
  t.AddOutput<float>("Z", {3, 3}, {2.0f, 1.5f, 2.0f, 0.0f, 1.5f, 0.0f, 1.0f, 3.5f, 3.0f});
  t.Run();
}

TEST(MlLinearClassifier, ThreeClassesSoftmax) {
  OpTest t("LinearClassifier", 1, "ai.onnx.ml");
  t.AddAttr("coefficients", std::vector<float>{1.0f, 0.0f, 0.0f, 1.0f, 1.0f, 1.0f});
  t.AddAttr("intercepts", std::vector<float>{0.0f, 0.5f, -1.0f});
  t.AddAttr("classlabels_ints", std::vector<int64_t>{10, 20, 30});
  t.AddAttr("post_transform", std::string("SOFTMAX"));
  t.AddInput<int64_t>("X", {2, 2}, {2, 1, 0, 1});
  t.AddOutput<int64_t>("Y", {2}, {10, 20});
  t.AddOutput<float>("Z", {2, 3}, {0.38365173f, 0.23269653f, 0.38365173f, 0.15428078f, 0.6914385f, 0.15428078f});
  t.Run();
}

// The binary form under NONE gives [1 - s, s] as ONNX Runtime does (onnx.reference gives [-s, s]).
TEST(MlLinearClassifier, BinaryStrings) {
  OpTest t("LinearClassifier", 1, "ai.onnx.ml");
  t.AddAttr("coefficients", std::vector<float>{1.0f, -1.0f});
  t.AddAttr("intercepts", std::vector<float>{0.5f});
  t.AddAttr("classlabels_strings", std::vector<std::string>{"no", "yes"});
  t.AddInput<float>("X", {2, 2}, {1.0f, 3.0f, 2.0f, 0.0f});
  t.AddOutput<std::string>("Y", {2}, {"no", "yes"});
  t.AddOutput<float>("Z", {2, 2}, {2.5f, -1.5f, -1.5f, 2.5f});
  t.Run();
}

TEST(MlLinearClassifier, BinaryLogistic) {
  OpTest t("LinearClassifier", 1, "ai.onnx.ml");
  t.AddAttr("coefficients", std::vector<float>{1.0f, -1.0f});
  t.AddAttr("intercepts", std::vector<float>{0.5f});
  t.AddAttr("classlabels_strings", std::vector<std::string>{"no", "yes"});
  t.AddAttr("post_transform", std::string("LOGISTIC"));
  t.AddInput<double>("X", {2, 2}, {1.0, 3.0, 2.0, 0.0});
  t.AddOutput<std::string>("Y", {2}, {"no", "yes"});
  t.AddOutput<float>("Z", {2, 2}, {0.8175745f, 0.18242553f, 0.07585818f, 0.9241418f});
  t.Run();
}

TEST(MlLinearClassifier, NeedsLabels) {
  OpTest t("LinearClassifier", 1, "ai.onnx.ml");
  t.AddAttr("coefficients", std::vector<float>{1.0f, 2.0f});
  t.AddInput<float>("X", {1, 2}, {1, 2});
  t.AddOutputUnchecked("Y");
  t.AddOutputUnchecked("Z");
  t.RunExpectError("classlabels");
}

}  // namespace
}  // namespace onyx::test
