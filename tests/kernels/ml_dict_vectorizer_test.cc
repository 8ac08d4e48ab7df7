#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

Value StringMap(const std::vector<std::string>& keys, const std::vector<float>& values) {
  MapValue m;
  m.key_type = DataType::kString;
  m.string_keys = keys;
  for (float v : values) m.values.emplace_back(Tensor::Scalar<float>(v));
  return Value::FromMap(std::move(m));
}

TEST(MlDictVectorizer, StringKeysFloatValues) {
  OpTest t("DictVectorizer", 1, "ai.onnx.ml");
  t.AddAttr("string_vocabulary", std::vector<std::string>{"a", "c", "b", "z"});
  t.AddInputValue("X", StringMap({"a", "c"}, {4.0f, 8.0f}));
  t.AddOutput<float>("Y", {1, 4}, {4.0f, 8.0f, 0.0f, 0.0f});
  t.Run();
}

TEST(MlDictVectorizer, Int64KeysDoubleValues) {
  OpTest t("DictVectorizer", 1, "ai.onnx.ml");
  t.AddAttr("int64_vocabulary", std::vector<int64_t>{10, 20, 30});
  MapValue m;
  m.key_type = DataType::kInt64;
  m.int_keys = {30, 10, 99};
  for (double v : {1.5, -2.0, 7.0}) m.values.emplace_back(Tensor::Scalar<double>(v));
  t.AddInputValue("X", Value::FromMap(std::move(m)));
  t.AddOutput<double>("Y", {1, 3}, {-2.0, 0.0, 1.5});
  t.Run();
}

TEST(MlDictVectorizer, Int64KeysStringValues) {
  OpTest t("DictVectorizer", 1, "ai.onnx.ml");
  t.AddAttr("int64_vocabulary", std::vector<int64_t>{1, 2});
  MapValue m;
  m.key_type = DataType::kInt64;
  m.int_keys = {2};
  m.values.emplace_back(Tensor::FromVector<std::string>({}, {"two"}));
  t.AddInputValue("X", Value::FromMap(std::move(m)));
  t.AddOutput<std::string>("Y", {1, 2}, {"", "two"});
  t.Run();
}

TEST(MlDictVectorizer, KeyTypeMustMatchVocabulary) {
  OpTest t("DictVectorizer", 1, "ai.onnx.ml");
  t.AddAttr("int64_vocabulary", std::vector<int64_t>{1, 2});
  t.AddInputValue("X", StringMap({"a"}, {1.0f}));
  t.AddOutputUnchecked("Y");
  t.RunExpectError("vocabulary");
}

TEST(MlDictVectorizer, NeedsOneVocabulary) {
  OpTest t("DictVectorizer", 1, "ai.onnx.ml");
  t.AddInputValue("X", StringMap({"a"}, {1.0f}));
  t.AddOutputUnchecked("Y");
  t.RunExpectError("vocabulary");
}

}  // namespace
}  // namespace onyx::test
