// Generated expected values come from the ONNX reference evaluator (onnx.reference).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

TEST(MlFeatureVectorizer, Concat) {
  OpTest t("FeatureVectorizer", 1, "ai.onnx.ml");
  t.AddAttr("inputdimensions", std::vector<int64_t>{2, 1});
  t.AddInput<float>("A", {2, 2}, {1.0f, 2.0f, 3.0f, 4.0f});
  t.AddInput<int64_t>("B", {2, 1}, {5, 6});
  t.AddOutput<float>("Y", {2, 3}, {1.0f, 2.0f, 5.0f, 3.0f, 4.0f, 6.0f});
  t.Run();
}

TEST(MlFeatureVectorizer, PadsAndCuts) {
  OpTest t("FeatureVectorizer", 1, "ai.onnx.ml");
  t.AddAttr("inputdimensions", std::vector<int64_t>{3, 1});
  t.AddInput<double>("A", {2, 2}, {1.0, 2.0, 3.0, 4.0});
  t.AddInput<int32_t>("B", {2, 2}, {5, 7, 6, 8});
  t.AddOutput<float>("Y", {2, 4}, {1.0f, 2.0f, 0.0f, 5.0f, 3.0f, 4.0f, 0.0f, 6.0f});
  t.Run();
}

TEST(MlFeatureVectorizer, RowCountsMustAgree) {
  OpTest t("FeatureVectorizer", 1, "ai.onnx.ml");
  t.AddAttr("inputdimensions", std::vector<int64_t>{1, 1});
  t.AddInput<float>("A", {2, 1}, {1, 2});
  t.AddInput<float>("B", {3, 1}, {1, 2, 3});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("rows");
}

}  // namespace
}  // namespace onyx::test
