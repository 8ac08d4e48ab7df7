// Generated expected values come from the ONNX reference evaluator (onnx.reference).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

TEST(MlImputer, NanPerFeature) {
  OpTest t("Imputer", 1, "ai.onnx.ml");
  t.AddAttr("imputed_value_floats", std::vector<float>{10.0f, 20.0f, 30.0f});
  t.AddAttr("replaced_value_float", NAN);
  t.AddInput<float>("X", {2, 3}, {NAN, 1.0f, 2.0f, 3.0f, NAN, NAN});
  t.AddOutput<float>("Y", {2, 3}, {10.0f, 1.0f, 2.0f, 3.0f, 20.0f, 30.0f});
  t.Run();
}

TEST(MlImputer, FloatValueSingle) {
  OpTest t("Imputer", 1, "ai.onnx.ml");
  t.AddAttr("imputed_value_floats", std::vector<float>{-1.0f});
  t.AddAttr("replaced_value_float", 0.0f);
  t.AddInput<double>("X", {2, 2}, {0.0, 1.0, 2.0, 0.0});
  t.AddOutput<double>("Y", {2, 2}, {-1.0, 1.0, 2.0, -1.0});
  t.Run();
}

TEST(MlImputer, Int64) {
  OpTest t("Imputer", 1, "ai.onnx.ml");
  t.AddAttr("imputed_value_int64s", std::vector<int64_t>{7, 8});
  t.AddAttr("replaced_value_int64", int64_t{-1});
  t.AddInput<int64_t>("X", {2, 2}, {-1, 1, -1, -1});
  t.AddOutput<int64_t>("Y", {2, 2}, {7, 1, 7, 8});
  t.Run();
}

TEST(MlImputer, Int32) {
  OpTest t("Imputer", 1, "ai.onnx.ml");
  t.AddAttr("imputed_value_int64s", std::vector<int64_t>{5});
  t.AddAttr("replaced_value_int64", int64_t{0});
  t.AddInput<int32_t>("X", {3}, {0, 3, 0});
  t.AddOutput<int32_t>("Y", {3}, {5, 3, 5});
  t.Run();
}

TEST(MlImputer, NeedsImputedValues) {
  OpTest t("Imputer", 1, "ai.onnx.ml");
  t.AddInput<float>("X", {1, 2}, {1, 2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("imputed_value");
}

TEST(MlImputer, WrongImputedCount) {
  OpTest t("Imputer", 1, "ai.onnx.ml");
  t.AddAttr("imputed_value_floats", std::vector<float>{1.0f, 2.0f});
  t.AddInput<float>("X", {1, 3}, {1, 2, 3});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("imputed values");
}

}  // namespace
}  // namespace onyx::test
