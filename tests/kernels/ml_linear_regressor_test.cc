// Generated expected values come from the ONNX reference evaluator (onnx.reference).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

TEST(MlLinearRegressor, TwoTargets) {
  OpTest t("LinearRegressor", 1, "ai.onnx.ml");
  t.AddAttr("coefficients", std::vector<float>{1.0f, 2.0f, 0.5f, -1.0f});
  t.AddAttr("intercepts", std::vector<float>{0.5f, -0.5f});
  t.AddAttr("targets", int64_t{2});
  t.AddInput<float>("X", {2, 2}, {1.0f, 2.0f, 3.0f, -1.0f});
  t.AddOutput<float>("Y", {2, 2}, {5.5f, -2.0f, 1.5f, 2.0f});
  t.Run();
}

TEST(MlLinearRegressor, Int32NoIntercept) {
  OpTest t("LinearRegressor", 1, "ai.onnx.ml");
  t.AddAttr("coefficients", std::vector<float>{0.25f, 0.5f, 1.0f});
  t.AddInput<int32_t>("X", {1, 3}, {4, 2, 1});
  t.AddOutput<float>("Y", {1, 1}, {3.0f});
  t.Run();
}

TEST(MlLinearRegressor, Softmax) {
  OpTest t("LinearRegressor", 1, "ai.onnx.ml");
  t.AddAttr("coefficients", std::vector<float>{1.0f, 2.0f, 0.5f, -1.0f});
  t.AddAttr("targets", int64_t{2});
  t.AddAttr("post_transform", std::string("SOFTMAX"));
  t.AddInput<double>("X", {2, 2}, {1.0, 2.0, 3.0, -1.0});
  t.AddOutput<float>("Y", {2, 2}, {0.9984988f, 0.0015011822f, 0.18242553f, 0.8175745f});
  t.Run();
}

TEST(MlLinearRegressor, FeatureCountMustMatch) {
  OpTest t("LinearRegressor", 1, "ai.onnx.ml");
  t.AddAttr("coefficients", std::vector<float>{1.0f, 2.0f});
  t.AddInput<float>("X", {1, 3}, {1, 2, 3});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("features");
}

}  // namespace
}  // namespace onyx::test
