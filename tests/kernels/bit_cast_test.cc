#include "kernels/op_test.h"

namespace onyx::test {

TEST(BitCast, FloatToInt32AndBack) {
  OpTest t("BitCast", 26);
  t.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kInt32)});
  t.AddInput<float>("input", {2, 2}, {1.0f, -2.0f, 0.0f, 0.5f});
  t.AddOutput<int32_t>("output", {2, 2}, {0x3f800000, static_cast<int32_t>(0xc0000000), 0, 0x3f000000});
  t.Run();
  OpTest b("BitCast", 26);
  b.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kFloat)});
  b.AddInput<int32_t>("input", {}, {0x40400000});
  b.AddOutput<float>("output", {}, {3.0f});
  b.Run();
}

TEST(BitCast, SmallTypes) {
  OpTest t("BitCast", 26);
  t.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kUint8)});
  t.AddInput<int8_t>("input", {3}, {-1, 0, -128});
  t.AddOutput<uint8_t>("output", {3}, {255, 0, 128});
  t.Run();
  OpTest h("BitCast", 26);
  h.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kUint16)});
  h.AddInput<Float16>("input", {1}, {Float16{0x3c00}});
  h.AddOutput<uint16_t>("output", {1}, {0x3c00});
  h.Run();
  OpTest b("BitCast", 26);
  b.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kBool)});
  b.AddInput<uint8_t>("input", {3}, {0, 1, 7});
  b.AddOutput<bool>("output", {3}, {false, true, true});
  b.Run();
}

TEST(BitCast, Errors) {
  OpTest t("BitCast", 26);
  t.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kInt64)});
  t.AddInput<float>("input", {1}, {1});
  t.AddOutputUnchecked("y");
  t.RunExpectError("bits");
  OpTest s("BitCast", 26);
  s.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kString)});
  s.AddInput<float>("input", {1}, {1});
  s.AddOutputUnchecked("y");
  s.RunExpectError("to");
}

}  // namespace onyx::test
