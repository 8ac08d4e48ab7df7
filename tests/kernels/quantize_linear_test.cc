#include <cstring>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

// A tensor of a byte-stored type (float8, packed 4-bit) from its raw bytes.
Value Bytes(DataType type, const Shape& shape, const std::vector<uint8_t>& bytes) {
  Tensor t = Tensor::Create(type, shape).take();
  std::memcpy(t.raw(), bytes.data(), std::min<size_t>(bytes.size(), static_cast<size_t>(t.bytes())));
  return Value(std::move(t));
}

}  // namespace

TEST(QuantizeLinear, PerTensorUint8RoundsHalfToEvenAndSaturates) {
  OpTest t("QuantizeLinear", 13);
  t.AddInput<float>("x", {6}, {0, 1.25f, -3, 300, 2.5f, 3.5f});
  t.AddInput<float>("y_scale", {}, {0.5f});
  t.AddInput<uint8_t>("y_zero_point", {}, {10});
  t.AddOutput<uint8_t>("y", {6}, {10, 12, 4, 255, 15, 17});
  t.Run();
}

TEST(QuantizeLinear, Opset10DefaultsToUint8WithoutZeroPoint) {
  OpTest t("QuantizeLinear", 10);
  t.AddInput<float>("x", {3}, {-1, 1, 1000});
  t.AddInput<float>("y_scale", {}, {1});
  t.AddOutput<uint8_t>("y", {3}, {0, 1, 255});
  t.Run();
}

TEST(QuantizeLinear, PerAxisInt8) {
  OpTest t("QuantizeLinear", 19);
  t.AddAttr("axis", int64_t{0});
  t.AddInput<float>("x", {2, 3}, {-1.5f, 0.2f, 3.7f, 10, -200, 0.5f});
  t.AddInput<float>("y_scale", {2}, {0.5f, 2});
  t.AddInput<int8_t>("y_zero_point", {2}, {1, -3});
  t.AddOutput<int8_t>("y", {2, 3}, {-2, 1, 8, 2, -103, -3});
  t.Run();
}

TEST(QuantizeLinear, BlockedInt16) {
  OpTest t("QuantizeLinear", 21);
  t.AddAttr("axis", int64_t{1});
  t.AddAttr("block_size", int64_t{3});
  std::vector<float> x;
  for (int i = -6; i < 6; ++i) x.push_back(static_cast<float>(i) * 0.7f);
  t.AddInput<float>("x", {2, 6}, x);
  t.AddInput<float>("y_scale", {2, 2}, {0.1f, 0.2f, 0.3f, 0.4f});
  t.AddInput<int16_t>("y_zero_point", {2, 2}, {1, 2, 3, 4});
  t.AddOutput<int16_t>("y", {2, 6}, {-41, -34, -27, -8, -5, -2, 3, 5, 8, 9, 11, 13});
  t.Run();
}

TEST(QuantizeLinear, OutputDtypeWithoutZeroPoint) {
  OpTest t("QuantizeLinear", 21);
  t.AddAttr("output_dtype", int64_t{static_cast<int64_t>(DataType::kInt16)});
  t.AddInput<float>("x", {3}, {-40000, 1.5f, 40000});
  t.AddInput<float>("y_scale", {}, {1});
  t.AddOutput<int16_t>("y", {3}, {-32768, 2, 32767});
  t.Run();
}

TEST(QuantizeLinear, Int4AndUint4ArePackedLowNibbleFirst) {
  OpTest t("QuantizeLinear", 21);
  t.AddInput<float>("x", {4}, {-10, -1.4f, 0.6f, 9});
  t.AddInput<float>("y_scale", {}, {1});
  t.AddInputValue("y_zero_point", Bytes(DataType::kInt4, {}, {0}));
  t.AddOutputValue("y", Bytes(DataType::kInt4, {4}, {0xF8, 0x71}));
  t.Run();
  OpTest u("QuantizeLinear", 21);
  u.AddInput<float>("x", {4}, {-10, -1.4f, 0.6f, 9});
  u.AddInput<float>("y_scale", {}, {1});
  u.AddInputValue("y_zero_point", Bytes(DataType::kUint4, {}, {2}));
  u.AddOutputValue("y", Bytes(DataType::kUint4, {4}, {0x10, 0xB3}));
  u.Run();
}

TEST(QuantizeLinear, Float8SaturateAttribute) {
  OpTest t("QuantizeLinear", 19);
  t.AddInput<float>("x", {3}, {1, 1000, -2});
  t.AddInput<float>("y_scale", {}, {1});
  t.AddInputValue("y_zero_point", Bytes(DataType::kFloat8E4M3FN, {}, {0}));
  t.AddOutputValue("y", Bytes(DataType::kFloat8E4M3FN, {3}, {0x38, 0x7E, 0xC0}));
  t.Run();
  OpTest n("QuantizeLinear", 19);
  n.AddAttr("saturate", int64_t{0});
  n.AddInput<float>("x", {3}, {1, 1000, -2});
  n.AddInput<float>("y_scale", {}, {1});
  n.AddInputValue("y_zero_point", Bytes(DataType::kFloat8E4M3FN, {}, {0}));
  n.AddOutputValue("y", Bytes(DataType::kFloat8E4M3FN, {3}, {0x38, 0x7F, 0xC0}));
  n.Run();
}

TEST(QuantizeLinear, Float16InputAndScale) {
  OpTest t("QuantizeLinear", 19);
  t.AddInput<Float16>("x", {2}, {Float16{0x3c00}, Float16{0xc500}});  // 1, -5
  t.AddInput<Float16>("y_scale", {}, {Float16{0x3800}});              // 0.5
  t.AddInput<int8_t>("y_zero_point", {}, {0});
  t.AddOutput<int8_t>("y", {2}, {2, -10});
  t.Run();
}

TEST(QuantizeLinear, Errors) {
  OpTest shape("QuantizeLinear", 13);
  shape.AddAttr("axis", int64_t{1});
  shape.AddInput<float>("x", {2, 3}, {1, 2, 3, 4, 5, 6});
  shape.AddInput<float>("y_scale", {2}, {1, 1});
  shape.AddInput<uint8_t>("y_zero_point", {2}, {0, 0});
  shape.AddOutputUnchecked("y");
  shape.RunExpectError("per-axis scale");
  OpTest zp("QuantizeLinear", 13);
  zp.AddInput<float>("x", {2}, {1, 2});
  zp.AddInput<float>("y_scale", {}, {1});
  zp.AddInput<uint8_t>("y_zero_point", {2}, {0, 0});
  zp.AddOutputUnchecked("y");
  zp.RunExpectError("zero point");
  OpTest block("QuantizeLinear", 21);
  block.AddAttr("axis", int64_t{0});
  block.AddAttr("block_size", int64_t{2});
  block.AddInput<float>("x", {4}, {1, 2, 3, 4});
  block.AddInput<float>("y_scale", {3}, {1, 1, 1});
  block.AddOutputUnchecked("y");
  block.RunExpectError("block_size");
  OpTest dtype("QuantizeLinear", 21);
  dtype.AddAttr("output_dtype", int64_t{static_cast<int64_t>(DataType::kInt8)});
  dtype.AddInput<float>("x", {1}, {1});
  dtype.AddInput<float>("y_scale", {}, {1});
  dtype.AddInput<uint8_t>("y_zero_point", {}, {0});
  dtype.AddOutputUnchecked("y");
  dtype.RunExpectError("output_dtype");
}

}  // namespace onyx::test
