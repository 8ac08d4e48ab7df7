// Generated expected values come from the ONNX reference evaluator (onnx.reference).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

TEST(MlCategoryMapper, StringToInt) {
  OpTest t("CategoryMapper", 1, "ai.onnx.ml");
  t.AddAttr("cats_int64s", std::vector<int64_t>{1, 2, 3});
  t.AddAttr("cats_strings", std::vector<std::string>{"one", "two", "three"});
  t.AddAttr("default_int64", int64_t{-7});
  t.AddInput<std::string>("X", {2, 2}, {"two", "x", "three", "one"});
  t.AddOutput<int64_t>("Y", {2, 2}, {2, -7, 3, 1});
  t.Run();
}

TEST(MlCategoryMapper, IntToString) {
  OpTest t("CategoryMapper", 1, "ai.onnx.ml");
  t.AddAttr("cats_int64s", std::vector<int64_t>{1, 2, 3});
  t.AddAttr("cats_strings", std::vector<std::string>{"one", "two", "three"});
  t.AddAttr("default_string", std::string("none"));
  t.AddInput<int64_t>("X", {3}, {3, 5, 1});
  t.AddOutput<std::string>("Y", {3}, {"three", "none", "one"});
  t.Run();
}

TEST(MlCategoryMapper, DefaultsWhenUnset) {
  OpTest t("CategoryMapper", 1, "ai.onnx.ml");
  t.AddAttr("cats_int64s", std::vector<int64_t>{1, 2, 3});
  t.AddAttr("cats_strings", std::vector<std::string>{"one", "two", "three"});
  t.AddInput<int64_t>("X", {1}, {4});
  t.AddOutput<std::string>("Y", {1}, {"_Unused"});
  t.Run();
}

TEST(MlCategoryMapper, ListsMustMatch) {
  OpTest t("CategoryMapper", 1, "ai.onnx.ml");
  t.AddAttr("cats_int64s", std::vector<int64_t>{1, 2});
  t.AddAttr("cats_strings", std::vector<std::string>{"a"});
  t.AddInput<int64_t>("X", {1}, {1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("same length");
}

}  // namespace
}  // namespace onyx::test
