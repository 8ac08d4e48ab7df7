#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

Value FloatMapRow(const std::vector<std::string>& string_keys, const std::vector<int64_t>& int_keys,
                  const std::vector<float>& values) {
  MapValue m;
  m.key_type = string_keys.empty() ? DataType::kInt64 : DataType::kString;
  m.string_keys = string_keys;
  m.int_keys = int_keys;
  for (float v : values) m.values.emplace_back(Tensor::Scalar<float>(v));
  return Value::FromMap(std::move(m));
}

TEST(MlZipMap, StringLabels) {
  OpTest t("ZipMap", 1, "ai.onnx.ml");
  t.AddAttr("classlabels_strings", std::vector<std::string>{"x", "y"});
  t.AddInput<float>("X", {2, 2}, {0.25f, 0.75f, 1.0f, 0.0f});
  Sequence s;
  s.items.push_back(FloatMapRow({"x", "y"}, {}, {0.25f, 0.75f}));
  s.items.push_back(FloatMapRow({"x", "y"}, {}, {1.0f, 0.0f}));
  t.AddOutputValue("Z", Value::FromSequence(std::move(s)));
  t.Run();
}

TEST(MlZipMap, IntLabels) {
  OpTest t("ZipMap", 1, "ai.onnx.ml");
  t.AddAttr("classlabels_int64s", std::vector<int64_t>{3, 1, 2});
  t.AddInput<float>("X", {1, 3}, {0.5f, 0.25f, 0.25f});
  Sequence s;
  s.items.push_back(FloatMapRow({}, {3, 1, 2}, {0.5f, 0.25f, 0.25f}));
  t.AddOutputValue("Z", Value::FromSequence(std::move(s)));
  t.Run();
}

TEST(MlZipMap, ColumnsMustMatchLabels) {
  OpTest t("ZipMap", 1, "ai.onnx.ml");
  t.AddAttr("classlabels_int64s", std::vector<int64_t>{1, 2});
  t.AddInput<float>("X", {1, 3}, {0.5f, 0.25f, 0.25f});
  t.AddOutputUnchecked("Z");
  t.RunExpectError("class labels");
}

}  // namespace
}  // namespace onyx::test
