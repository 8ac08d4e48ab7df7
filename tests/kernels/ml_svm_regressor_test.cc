// Generated expected values come from the ONNX reference evaluator (onnx.reference).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

TEST(MlSVMRegressor, Rbf) {
  OpTest t("SVMRegressor", 1, "ai.onnx.ml");
  t.AddAttr("kernel_type", std::string("RBF"));
  t.AddAttr("kernel_params", std::vector<float>{0.5f, 0.0f, 3.0f});
  t.AddAttr("n_supports", int64_t{3});
  t.AddAttr("support_vectors", std::vector<float>{0.1f, 0.2f, 1.0f, -1.0f, -0.5f, 0.5f});
  t.AddAttr("coefficients", std::vector<float>{0.5f, -0.3f, 0.8f});
  t.AddAttr("rho", std::vector<float>{0.1f});
  t.AddInput<float>("X", {3, 2}, {0.5f, 1.0f, -1.0f, 0.3f, 2.0f, -0.5f});
  t.AddOutput<float>("Y", {3, 1}, {0.82753927f, 1.046253f, 0.0251083f});
  t.Run();
}

TEST(MlSVMRegressor, Poly) {
  OpTest t("SVMRegressor", 1, "ai.onnx.ml");
  t.AddAttr("kernel_type", std::string("POLY"));
  t.AddAttr("kernel_params", std::vector<float>{0.5f, 1.0f, 2.0f});
  t.AddAttr("n_supports", int64_t{3});
  t.AddAttr("support_vectors", std::vector<float>{0.1f, 0.2f, 1.0f, -1.0f, -0.5f, 0.5f});
  t.AddAttr("coefficients", std::vector<float>{0.5f, -0.3f, 0.8f});
  t.AddAttr("rho", std::vector<float>{0.1f});
  t.AddInput<double>("X", {3, 2}, {0.5, 1.0, -1.0, 0.30000001192092896, 2.0, -0.5});
  t.AddOutput<float>("Y", {3, 1}, {1.5765625f, 1.94795f, -0.75500005f});
  t.Run();
}

TEST(MlSVMRegressor, Sigmoid) {
  OpTest t("SVMRegressor", 1, "ai.onnx.ml");
  t.AddAttr("kernel_type", std::string("SIGMOID"));
  t.AddAttr("kernel_params", std::vector<float>{0.5f, 0.2f, 0.0f});
  t.AddAttr("n_supports", int64_t{3});
  t.AddAttr("support_vectors", std::vector<float>{0.1f, 0.2f, 1.0f, -1.0f, -0.5f, 0.5f});
  t.AddAttr("coefficients", std::vector<float>{0.5f, -0.3f, 0.8f});
  t.AddAttr("rho", std::vector<float>{0.1f});
  t.AddInput<float>("X", {3, 2}, {0.5f, 1.0f, -1.0f, 0.3f, 2.0f, -0.5f});
  t.AddOutput<float>("Y", {3, 1}, {0.52321476f, 0.70085f, -0.367156f});
  t.Run();
}

TEST(MlSVMRegressor, LinearNoSupports) {
  OpTest t("SVMRegressor", 1, "ai.onnx.ml");
  t.AddAttr("coefficients", std::vector<float>{1.0f, -2.0f});
  t.AddAttr("rho", std::vector<float>{0.5f});
  t.AddAttr("n_supports", int64_t{0});
  t.AddInput<int64_t>("X", {2, 2}, {1, 2, 3, 0});
  t.AddOutput<float>("Y", {2, 1}, {-2.5f, 3.5f});
  t.Run();
}

TEST(MlSVMRegressor, OneClass) {
  OpTest t("SVMRegressor", 1, "ai.onnx.ml");
  t.AddAttr("kernel_type", std::string("RBF"));
  t.AddAttr("kernel_params", std::vector<float>{0.5f, 0.0f, 3.0f});
  t.AddAttr("n_supports", int64_t{3});
  t.AddAttr("support_vectors", std::vector<float>{0.1f, 0.2f, 1.0f, -1.0f, -0.5f, 0.5f});
  t.AddAttr("coefficients", std::vector<float>{0.5f, -0.3f, 0.8f});
  t.AddAttr("rho", std::vector<float>{0.1f});
  t.AddAttr("one_class", int64_t{1});
  t.AddInput<float>("X", {3, 2}, {0.5f, 1.0f, -1.0f, 0.3f, 2.0f, -0.5f});
  t.AddOutput<float>("Y", {3, 1}, {1.0f, 1.0f, 1.0f});
  t.Run();
}

TEST(MlSVMRegressor, CoefficientsPerSupportVector) {
  OpTest t("SVMRegressor", 1, "ai.onnx.ml");
  t.AddAttr("n_supports", int64_t{2});
  t.AddAttr("support_vectors", std::vector<float>{1.0f, 2.0f, 3.0f, 4.0f});
  t.AddAttr("coefficients", std::vector<float>{1.0f});
  t.AddInput<float>("X", {1, 2}, {1, 2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("coefficients");
}

}  // namespace
}  // namespace onyx::test
