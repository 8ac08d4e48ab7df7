#include <cstring>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

Value Bytes(DataType type, const Shape& shape, const std::vector<uint8_t>& bytes) {
  Tensor t = Tensor::Create(type, shape).take();
  std::memcpy(t.raw(), bytes.data(), std::min<size_t>(bytes.size(), static_cast<size_t>(t.bytes())));
  return Value(std::move(t));
}

}  // namespace

TEST(DequantizeLinear, PerTensorUint8) {
  OpTest t("DequantizeLinear", 10);
  t.AddInput<uint8_t>("x", {4}, {0, 3, 128, 255});
  t.AddInput<float>("x_scale", {}, {2});
  t.AddInput<uint8_t>("x_zero_point", {}, {128});
  t.AddOutput<float>("y", {4}, {-256, -250, 0, 254});
  t.Run();
}

TEST(DequantizeLinear, Int32WithoutZeroPoint) {
  OpTest t("DequantizeLinear", 13);
  t.AddInput<int32_t>("x", {3}, {-1000000, 0, 7});
  t.AddInput<float>("x_scale", {}, {0.5f});
  t.AddOutput<float>("y", {3}, {-500000, 0, 3.5f});
  t.Run();
}

TEST(DequantizeLinear, PerAxis) {
  OpTest t("DequantizeLinear", 13);
  t.AddInput<int8_t>("x", {2, 2}, {-1, 2, 3, 4});
  t.AddInput<float>("x_scale", {2}, {1, 10});
  t.AddInput<int8_t>("x_zero_point", {2}, {0, 1});
  t.AddOutput<float>("y", {2, 2}, {-1, 10, 3, 30});
  t.Run();
}

TEST(DequantizeLinear, BlockedInt16) {
  OpTest t("DequantizeLinear", 21);
  t.AddAttr("axis", int64_t{1});
  t.AddAttr("block_size", int64_t{3});
  t.AddInput<int16_t>("x", {2, 6}, {1, 2, 3, 4, 5, 6, -7, -8, 9, 10, 11, 12});
  t.AddInput<float>("x_scale", {2, 2}, {0.1f, 0.2f, 0.3f, 0.4f});
  t.AddInput<int16_t>("x_zero_point", {2, 2}, {1, 2, 3, 4});
  t.AddOutput<float>("y", {2, 6}, {0, 0.1f, 0.2f, 0.4f, 0.6f, 0.8f, -3, -3.3f, 1.8f, 2.4f, 2.8f, 3.2f});
  t.Run();
}

TEST(DequantizeLinear, Int4PackedAndFloat8) {
  OpTest t("DequantizeLinear", 21);
  t.AddInputValue("x", Bytes(DataType::kInt4, {3}, {0xF8, 0x07}));  // -8, -1, 7
  t.AddInput<float>("x_scale", {}, {2});
  t.AddInputValue("x_zero_point", Bytes(DataType::kInt4, {}, {0x01}));
  t.AddOutput<float>("y", {3}, {-18, -4, 12});
  t.Run();
  OpTest f("DequantizeLinear", 19);
  f.AddInputValue("x", Bytes(DataType::kFloat8E4M3FN, {3}, {0x38, 0x7E, 0xC0}));  // 1, 448, -2
  f.AddInput<float>("x_scale", {}, {0.5f});
  f.AddOutput<float>("y", {3}, {0.5f, 224, -1});
  f.Run();
}

TEST(DequantizeLinear, Float16ScaleAndOutputDtype) {
  OpTest t("DequantizeLinear", 19);
  t.AddInput<int8_t>("x", {2}, {4, -2});
  t.AddInput<Float16>("x_scale", {}, {Float16{0x3800}});               // 0.5
  t.AddOutput<Float16>("y", {2}, {Float16{0x4000}, Float16{0xbc00}});  // 2, -1
  t.Run();
  OpTest o("DequantizeLinear", 23);
  o.AddAttr("output_dtype", int64_t{static_cast<int64_t>(DataType::kFloat16)});
  o.AddInput<uint8_t>("x", {1}, {6});
  o.AddInput<float>("x_scale", {}, {0.5f});
  o.AddOutput<Float16>("y", {1}, {Float16{0x4200}});  // 3
  o.Run();
}

TEST(DequantizeLinear, Errors) {
  OpTest t("DequantizeLinear", 13);
  t.AddInput<int8_t>("x", {2}, {1, 2});
  t.AddInput<float>("x_scale", {}, {1});
  t.AddInput<uint8_t>("x_zero_point", {}, {0});
  t.AddOutputUnchecked("y");
  t.RunExpectError("zero point type");
  OpTest a("DequantizeLinear", 13);
  a.AddAttr("axis", int64_t{3});
  a.AddInput<int8_t>("x", {2, 2}, {1, 2, 3, 4});
  a.AddInput<float>("x_scale", {2}, {1, 1});
  a.AddOutputUnchecked("y");
  a.RunExpectError("axis");
}

}  // namespace onyx::test
