// Generated expected values come from the ONNX reference evaluator (onnx.reference).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

TEST(MlSVMClassifier, ThreeClassVotes) {
  OpTest t("SVMClassifier", 1, "ai.onnx.ml");
  t.AddAttr("kernel_type", std::string("RBF"));
  t.AddAttr("kernel_params", std::vector<float>{0.5f, 0.0f, 3.0f});
  t.AddAttr("support_vectors", std::vector<float>{0.1f, 0.2f, 1.0f, -1.0f, -0.5f, 0.5f, 0.3f, 0.9f});
  t.AddAttr("classlabels_ints", std::vector<int64_t>{1, 2, 3});
  t.AddAttr("vectors_per_class", std::vector<int64_t>{1, 2, 1});
  t.AddAttr("coefficients", std::vector<float>{0.5f, -0.3f, 0.2f, -0.1f, 0.4f, 0.6f, -0.7f, 0.2f});
  t.AddAttr("rho", std::vector<float>{0.1f, -0.2f, 0.3f});
  t.AddInput<float>("X", {3, 2}, {0.5f, 1.0f, -1.0f, 0.3f, 2.0f, -0.5f});
  t.AddOutput<int64_t>("Y", {3}, {1, 3, 1});
  t.AddOutput<float>("Z", {3, 3},
                     {0.5063824f, -0.029402986f, 0.19203883f, 0.5272396f, -0.018539302f, -0.19887571f, 0.00911884f,
                      -0.15735386f, 0.6201981f});
  t.Run();
}

// Probabilities follow libsvm's pairwise coupling (computed independently in numpy); onnx.reference's coupling
// multiplies whole rows where libsvm multiplies elements, so it differs from libsvm for three or more classes.
TEST(MlSVMClassifier, ThreeClassProbabilities) {
  OpTest t("SVMClassifier", 1, "ai.onnx.ml");
  t.AddAttr("kernel_type", std::string("RBF"));
  t.AddAttr("kernel_params", std::vector<float>{0.5f, 0.0f, 3.0f});
  t.AddAttr("support_vectors", std::vector<float>{0.1f, 0.2f, 1.0f, -1.0f, -0.5f, 0.5f, 0.3f, 0.9f});
  t.AddAttr("classlabels_ints", std::vector<int64_t>{1, 2, 3});
  t.AddAttr("vectors_per_class", std::vector<int64_t>{1, 2, 1});
  t.AddAttr("coefficients", std::vector<float>{0.5f, -0.3f, 0.2f, -0.1f, 0.4f, 0.6f, -0.7f, 0.2f});
  t.AddAttr("rho", std::vector<float>{0.1f, -0.2f, 0.3f});
  t.AddAttr("prob_a", std::vector<float>{-1.2f, -0.8f, -2.0f});
  t.AddAttr("prob_b", std::vector<float>{0.1f, -0.1f, 0.05f});
  t.AddInput<float>("X", {3, 2}, {0.5f, 1.0f, -1.0f, 0.3f, 2.0f, -0.5f});
  t.AddOutput<int64_t>("Y", {3}, {1, 3, 1});
  t.AddOutput<float>("Z", {3, 3},
                     {0.40299496f, 0.30261037f, 0.29439467f, 0.3993532f, 0.23406903f, 0.36657774f, 0.33194536f,
                      0.4586252f, 0.20942944f});
  t.SetTolerance(0.001, 0.001);
  t.Run();
}

TEST(MlSVMClassifier, TwoClassStrings) {
  OpTest t("SVMClassifier", 1, "ai.onnx.ml");
  t.AddAttr("kernel_type", std::string("RBF"));
  t.AddAttr("kernel_params", std::vector<float>{0.5f, 0.0f, 3.0f});
  t.AddAttr("support_vectors", std::vector<float>{0.1f, 0.2f, 1.0f, -1.0f, -0.5f, 0.5f, 0.3f, 0.9f});
  t.AddAttr("classlabels_strings", std::vector<std::string>{"cat", "dog"});
  t.AddAttr("vectors_per_class", std::vector<int64_t>{2, 2});
  t.AddAttr("coefficients", std::vector<float>{0.5f, -0.3f, 0.2f, -0.1f});
  t.AddAttr("rho", std::vector<float>{-0.35f});
  t.AddInput<float>("X", {3, 2}, {0.5f, 1.0f, -1.0f, 0.3f, 2.0f, -0.5f});
  t.AddOutput<std::string>("Y", {3}, {"dog", "cat", "dog"});
  t.AddOutput<float>("Z", {3, 2}, {0.041148588f, -0.041148588f, -0.04135996f, 0.04135996f, 0.44972897f, -0.44972897f});
  t.Run();
}

TEST(MlSVMClassifier, TwoClassProbabilities) {
  OpTest t("SVMClassifier", 1, "ai.onnx.ml");
  t.AddAttr("kernel_type", std::string("RBF"));
  t.AddAttr("kernel_params", std::vector<float>{0.5f, 0.0f, 3.0f});
  t.AddAttr("support_vectors", std::vector<float>{0.1f, 0.2f, 1.0f, -1.0f, -0.5f, 0.5f, 0.3f, 0.9f});
  t.AddAttr("classlabels_strings", std::vector<std::string>{"cat", "dog"});
  t.AddAttr("vectors_per_class", std::vector<int64_t>{2, 2});
  t.AddAttr("coefficients", std::vector<float>{0.5f, -0.3f, 0.2f, -0.1f});
  t.AddAttr("rho", std::vector<float>{-0.35f});
  t.AddAttr("prob_a", std::vector<float>{-1.5f});
  t.AddAttr("prob_b", std::vector<float>{0.2f});
  t.AddInput<double>("X", {3, 2}, {0.5, 1.0, -1.0, 0.30000001192092896, 2.0, -0.5});
  t.AddOutput<std::string>("Y", {3}, {"dog", "cat", "dog"});
  t.AddOutput<float>("Z", {3, 2}, {0.43478337f, 0.56521666f, 0.4655527f, 0.5344473f, 0.2942991f, 0.7057009f});
  t.SetTolerance(0.001, 0.001);
  t.Run();
}

// Without support vectors the label is the best linear score (onnx.reference returns the first label here).
TEST(MlSVMClassifier, Linear) {
  OpTest t("SVMClassifier", 1, "ai.onnx.ml");
  t.AddAttr("classlabels_ints", std::vector<int64_t>{1, 2, 3});
  t.AddAttr("coefficients", std::vector<float>{1.0f, 0.0f, 0.0f, 1.0f, 1.0f, 1.0f});
  t.AddAttr("rho", std::vector<float>{0.1f});
  t.AddAttr("kernel_type", std::string("LINEAR"));
  t.AddInput<int32_t>("X", {2, 2}, {1, 2, -1, 0});
  t.AddOutput<int64_t>("Y", {2}, {3, 2});
  t.AddOutput<float>("Z", {2, 3}, {1.1f, 2.1f, 3.1f, -0.9f, 0.1f, -0.9f});
  t.Run();
}

TEST(MlSVMClassifier, PolySoftmax) {
  OpTest t("SVMClassifier", 1, "ai.onnx.ml");
  t.AddAttr("kernel_type", std::string("POLY"));
  t.AddAttr("kernel_params", std::vector<float>{0.5f, 1.0f, 2.0f});
  t.AddAttr("support_vectors", std::vector<float>{0.1f, 0.2f, 1.0f, -1.0f, -0.5f, 0.5f, 0.3f, 0.9f});
  t.AddAttr("classlabels_ints", std::vector<int64_t>{1, 2, 3});
  t.AddAttr("vectors_per_class", std::vector<int64_t>{1, 2, 1});
  t.AddAttr("coefficients", std::vector<float>{0.5f, -0.3f, 0.2f, -0.1f, 0.4f, 0.6f, -0.7f, 0.2f});
  t.AddAttr("rho", std::vector<float>{0.1f, -0.2f, 0.3f});
  t.AddAttr("post_transform", std::string("SOFTMAX"));
  t.AddInput<float>("X", {3, 2}, {0.5f, 1.0f, -1.0f, 0.3f, 2.0f, -0.5f});
  t.AddOutput<int64_t>("Y", {3}, {1, 1, 2});
  t.AddOutput<float>("Z", {3, 3},
                     {0.494075f, 0.23490644f, 0.27101853f, 0.60350585f, 0.2691633f, 0.12733077f, 0.012815217f,
                      0.033630915f, 0.95355386f});
  t.Run();
}

TEST(MlSVMClassifier, RhoPerClassPair) {
  OpTest t("SVMClassifier", 1, "ai.onnx.ml");
  t.AddAttr("classlabels_ints", std::vector<int64_t>{0, 1, 2});
  t.AddAttr("vectors_per_class", std::vector<int64_t>{1, 1, 1});
  t.AddAttr("support_vectors", std::vector<float>{1.0f, 2.0f, 3.0f});
  t.AddAttr("coefficients", std::vector<float>{1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f});
  t.AddAttr("rho", std::vector<float>{0.0f});
  t.AddInput<float>("X", {1, 1}, {1});
  t.AddOutputUnchecked("Y");
  t.AddOutputUnchecked("Z");
  t.RunExpectError("rho");
}

}  // namespace
}  // namespace onyx::test
