// Generated expected values come from the ONNX reference evaluator (onnx.reference).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

TEST(MlOneHotEncoder, Int64) {
  OpTest t("OneHotEncoder", 1, "ai.onnx.ml");
  t.AddAttr("cats_int64s", std::vector<int64_t>{1, 3, 5});
  t.AddInput<int64_t>("X", {2, 2}, {1, 5, 2, 3});
  t.AddOutput<float>("Y", {2, 2, 3}, {1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 0.0f});
  t.Run();
}

TEST(MlOneHotEncoder, Strings) {
  OpTest t("OneHotEncoder", 1, "ai.onnx.ml");
  t.AddAttr("cats_strings", std::vector<std::string>{"a", "b"});
  t.AddInput<std::string>("X", {3}, {"b", "c", "a"});
  t.AddOutput<float>("Y", {3, 2}, {0.0f, 1.0f, 0.0f, 0.0f, 1.0f, 0.0f});
  t.Run();
}

TEST(MlOneHotEncoder, DoubleTruncates) {
  OpTest t("OneHotEncoder", 1, "ai.onnx.ml");
  t.AddAttr("cats_int64s", std::vector<int64_t>{0, 1, 2});
  t.AddInput<double>("X", {1, 2}, {2.0, 0.0});
  t.AddOutput<float>("Y", {1, 2, 3}, {0.0f, 0.0f, 1.0f, 1.0f, 0.0f, 0.0f});
  t.Run();
}

TEST(MlOneHotEncoder, Int32) {
  OpTest t("OneHotEncoder", 1, "ai.onnx.ml");
  t.AddAttr("cats_int64s", std::vector<int64_t>{7, 8});
  t.AddInput<int32_t>("X", {1}, {8});
  t.AddOutput<float>("Y", {1, 2}, {0.0f, 1.0f});
  t.Run();
}

TEST(MlOneHotEncoder, UnknownCategoryWithoutZeros) {
  OpTest t("OneHotEncoder", 1, "ai.onnx.ml");
  t.AddAttr("cats_int64s", std::vector<int64_t>{1, 2});
  t.AddAttr("zeros", int64_t{0});
  t.AddInput<int64_t>("X", {2}, {1, 3});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("not one of the categories");
}

}  // namespace
}  // namespace onyx::test
