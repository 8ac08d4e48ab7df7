// Generated expected values come from the ONNX reference evaluator (onnx.reference).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

TEST(MlLabelEncoder, V1StringToInt) {
  OpTest t("LabelEncoder", 1, "ai.onnx.ml");
  t.AddAttr("classes_strings", std::vector<std::string>{"a", "b", "c"});
  t.AddAttr("default_int64", int64_t{99});
  t.AddInput<std::string>("X", {3}, {"b", "z", "a"});
  t.AddOutput<int64_t>("Y", {3}, {1, 99, 0});
  t.Run();
}

TEST(MlLabelEncoder, V1IntToString) {
  OpTest t("LabelEncoder", 1, "ai.onnx.ml");
  t.AddAttr("classes_strings", std::vector<std::string>{"a", "b", "c"});
  t.AddAttr("default_string", std::string("none"));
  t.AddInput<int64_t>("X", {4}, {2, 5, -1, 0});
  t.AddOutput<std::string>("Y", {4}, {"c", "none", "none", "a"});
  t.Run();
}

TEST(MlLabelEncoder, V2FloatToString) {
  OpTest t("LabelEncoder", 2, "ai.onnx.ml");
  t.AddAttr("keys_floats", std::vector<float>{0.5f, 1.5f});
  t.AddAttr("values_strings", std::vector<std::string>{"lo", "hi"});
  t.AddAttr("default_string", std::string("?"));
  t.AddInput<float>("X", {2, 2}, {1.5f, 0.5f, 2.0f, 1.5f});
  t.AddOutput<std::string>("Y", {2, 2}, {"hi", "lo", "?", "hi"});
  t.Run();
}

TEST(MlLabelEncoder, V2IntToFloatDefault) {
  OpTest t("LabelEncoder", 2, "ai.onnx.ml");
  t.AddAttr("keys_int64s", std::vector<int64_t>{3, 7});
  t.AddAttr("values_floats", std::vector<float>{0.25f, 0.75f});
  t.AddInput<int64_t>("X", {3}, {7, 3, 4});
  t.AddOutput<float>("Y", {3}, {0.75f, 0.25f, -0.0f});
  t.Run();
}

TEST(MlLabelEncoder, V2StringToInt) {
  OpTest t("LabelEncoder", 2, "ai.onnx.ml");
  t.AddAttr("keys_strings", std::vector<std::string>{"x", "y"});
  t.AddAttr("values_int64s", std::vector<int64_t>{10, 20});
  t.AddAttr("default_int64", int64_t{-5});
  t.AddInput<std::string>("X", {3}, {"y", "q", "x"});
  t.AddOutput<int64_t>("Y", {3}, {20, -5, 10});
  t.Run();
}

TEST(MlLabelEncoder, V4TensorInt32ToDouble) {
  OpTest t("LabelEncoder", 4, "ai.onnx.ml");
  t.AddAttr("keys_tensor", Tensor::FromVector<int32_t>({3}, std::vector<int32_t>{1, 2, 3}));
  t.AddAttr("values_tensor", Tensor::FromVector<double>({3}, std::vector<double>{0.5, 1.5, 2.5}));
  t.AddAttr("default_tensor", Tensor::FromVector<double>({1}, std::vector<double>{-9.0}));
  t.AddInput<int32_t>("X", {2, 2}, {3, 1, 8, 2});
  t.AddOutput<double>("Y", {2, 2}, {2.5, 0.5, -9.0, 1.5});
  t.Run();
}

TEST(MlLabelEncoder, V4NanKeyAndRepeat) {
  OpTest t("LabelEncoder", 4, "ai.onnx.ml");
  t.AddAttr("keys_floats", std::vector<float>{NAN, 1.0f, 1.0f});
  t.AddAttr("values_int64s", std::vector<int64_t>{5, 6, 7});
  t.AddInput<float>("X", {3}, {NAN, 1.0f, 2.0f});
  t.AddOutput<int64_t>("Y", {3}, {5, 7, -1});
  t.Run();
}

TEST(MlLabelEncoder, V4DoubleToInt16) {
  OpTest t("LabelEncoder", 4, "ai.onnx.ml");
  t.AddAttr("keys_tensor", Tensor::FromVector<double>({2}, std::vector<double>{0.5, 1.5}));
  t.AddAttr("values_tensor", Tensor::FromVector<int16_t>({2}, std::vector<int16_t>{4, 5}));
  t.AddInput<double>("X", {2}, {1.5, 3.0});
  t.AddOutput<int16_t>("Y", {2}, {5, -1});
  t.Run();
}

TEST(MlLabelEncoder, KeysAndValuesMustMatch) {
  OpTest t("LabelEncoder", 2, "ai.onnx.ml");
  t.AddAttr("keys_int64s", std::vector<int64_t>{1, 2});
  t.AddAttr("values_strings", std::vector<std::string>{"a"});
  t.AddInput<int64_t>("X", {1}, {1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("differ in length");
}

TEST(MlLabelEncoder, InputMustMatchKeyType) {
  OpTest t("LabelEncoder", 2, "ai.onnx.ml");
  t.AddAttr("keys_int64s", std::vector<int64_t>{1, 2});
  t.AddAttr("values_strings", std::vector<std::string>{"a", "b"});
  t.AddInput<float>("X", {1}, {1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("key type");
}

TEST(MlLabelEncoder, DefaultTensorMustMatchValues) {
  OpTest t("LabelEncoder", 4, "ai.onnx.ml");
  t.AddAttr("keys_int64s", std::vector<int64_t>{1});
  t.AddAttr("values_tensor", Tensor::FromVector<int32_t>({1}, std::vector<int32_t>{5}));
  t.AddAttr("default_tensor", Tensor::FromVector<float>({1}, std::vector<float>{0.0f}));
  t.AddInput<int64_t>("X", {1}, {1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("default_tensor");
}

}  // namespace
}  // namespace onyx::test
