#include <cmath>
#include <limits>
#include <vector>

#include "ep/cpu/kernels/tensor/cast_convert.h"
#include "kernels/op_test.h"

namespace onyx::test {

TEST(Cast, FloatToInt) {
  OpTest t("Cast", 13);
  t.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kInt32)});
  t.AddInput<float>("input", {4}, {1.9f, -1.9f, 0, 100});
  t.AddOutput<int32_t>("output", {4}, {1, -1, 0, 100});
  t.Run();
}

TEST(Cast, IntegerNarrowingWraps) {
  OpTest t("Cast", 13);
  t.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kInt8)});
  t.AddInput<int16_t>("input", {2}, {200, -1});
  t.AddOutput<int8_t>("output", {2}, {-56, -1});
  t.Run();
}

TEST(Cast, BoolBothWays) {
  OpTest t("Cast", 13);
  t.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kBool)});
  t.AddInput<float>("input", {3}, {0, -0.5f, 2});
  t.AddOutput<bool>("output", {3}, {false, true, true});
  t.Run();
  OpTest b("Cast", 13);
  b.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kDouble)});
  b.AddInput<bool>("input", {2}, {true, false});
  b.AddOutput<double>("output", {2}, {1, 0});
  b.Run();
}

TEST(Cast, LongBoolToNumbers) {
  // Long enough for the vector loop and a tail (bools are read as bytes there).
  std::vector<uint8_t> bits(101);
  for (size_t i = 0; i < bits.size(); ++i) bits[i] = (i * 7) % 5 == 0;
  std::vector<bool> in(bits.begin(), bits.end());
  std::vector<float> f(bits.begin(), bits.end());
  std::vector<int64_t> n(bits.begin(), bits.end());
  OpTest t("Cast", 13);
  t.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kFloat)});
  t.AddInput<bool>("input", {101}, in);
  t.AddOutput<float>("output", {101}, f);
  t.Run();
  OpTest u("Cast", 13);
  u.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kInt64)});
  u.AddInput<bool>("input", {101}, in);
  u.AddOutput<int64_t>("output", {101}, n);
  u.Run();
}

TEST(Cast, HalfTypes) {
  OpTest t("Cast", 13);
  t.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kFloat16)});
  t.AddInput<float>("input", {3}, {1.0f, -2.5f, 65504.0f});
  t.AddOutput<Float16>("output", {3}, {Float16{0x3c00}, Float16{0xc100}, Float16{0x7bff}});
  t.Run();
  OpTest b("Cast", 13);
  b.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kFloat)});
  b.AddInput<BFloat16>("input", {2}, {BFloat16{0x3f80}, BFloat16{0xc000}});
  b.AddOutput<float>("output", {2}, {1.0f, -2.0f});
  b.Run();
}

TEST(Cast, StringToNumberAndBack) {
  OpTest t("Cast", 13);
  t.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kFloat)});
  t.AddInput<std::string>("input", {4}, {"3.5", "1e2", "-INF", "+inf"});
  t.AddOutput<float>("output", {4},
                     {3.5f, 100, -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::infinity()});
  t.Run();
  OpTest i("Cast", 13);
  i.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kInt64)});
  i.AddInput<std::string>("input", {2}, {"9007199254740993", "-7"});
  i.AddOutput<int64_t>("output", {2}, {9007199254740993, -7});
  i.Run();
  OpTest s("Cast", 13);
  s.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kString)});
  s.AddInput<float>("input", {3}, {1.5f, 0.1f, 3});
  s.AddOutput<std::string>("output", {3}, {"1.5", "0.1", "3.0"});
  s.Run();
  OpTest n("Cast", 13);
  n.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kString)});
  n.AddInput<int32_t>("input", {2}, {-12, 7});
  n.AddOutput<std::string>("output", {2}, {"-12", "7"});
  n.Run();
}

TEST(Cast, BadStringIsAnError) {
  OpTest t("Cast", 13);
  t.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kFloat)});
  t.AddInput<std::string>("input", {1}, {"hello"});
  t.AddOutputUnchecked("output");
  t.RunExpectError("hello");
}

TEST(Cast, BadToIsAnError) {
  OpTest t("Cast", 13);
  t.AddAttr("to", int64_t{99});
  t.AddInput<float>("input", {1}, {1});
  t.AddOutputUnchecked("output");
  t.RunExpectError("not a data type");
}

// Expected codes from the ONNX reference implementation.
TEST(Cast, Float8Encoding) {
  using cpu::FloatToFloat8;
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  const DataType e4m3fn = DataType::kFloat8E4M3FN, e4m3fnuz = DataType::kFloat8E4M3FNUZ;
  const DataType e5m2 = DataType::kFloat8E5M2, e5m2fnuz = DataType::kFloat8E5M2FNUZ;
  EXPECT_EQ(FloatToFloat8(nan, e4m3fn, true), 0x7f);
  EXPECT_EQ(FloatToFloat8(inf, e4m3fn, true), 0x7e);
  EXPECT_EQ(FloatToFloat8(-inf, e4m3fn, true), 0xfe);
  EXPECT_EQ(FloatToFloat8(inf, e4m3fn, false), 0x7f);
  EXPECT_EQ(FloatToFloat8(464, e4m3fn, false), 0x7e);  // tie between 448 and 480: even code
  EXPECT_EQ(FloatToFloat8(465, e4m3fn, false), 0x7f);
  EXPECT_EQ(FloatToFloat8(-0.0f, e4m3fn, true), 0x80);
  EXPECT_EQ(FloatToFloat8(-0.0f, e4m3fnuz, true), 0x00);
  EXPECT_EQ(FloatToFloat8(-inf, e4m3fnuz, true), 0xff);
  EXPECT_EQ(FloatToFloat8(500, e4m3fnuz, false), 0x80);
  EXPECT_EQ(FloatToFloat8(465, e5m2, true), 0x5f);
  EXPECT_EQ(FloatToFloat8(500, e5m2, true), 0x60);
  EXPECT_EQ(FloatToFloat8(1e9f, e5m2, false), 0x7c);
  EXPECT_EQ(FloatToFloat8(1e9f, e5m2, true), 0x7b);
  EXPECT_EQ(FloatToFloat8(nan, e5m2, true), 0x7e);
  EXPECT_EQ(FloatToFloat8(465, e5m2fnuz, true), 0x63);
  EXPECT_EQ(FloatToFloat8(1e9f, e5m2fnuz, false), 0x80);
  for (int code = 0; code < 256; ++code) {  // every finite code round-trips
    for (DataType t : {e4m3fn, e4m3fnuz, e5m2, e5m2fnuz}) {
      float f = cpu::Float8ToFloat(static_cast<uint8_t>(code), t);
      if (std::isfinite(f) && !(f == 0 && code == 0x80)) {
        EXPECT_EQ(FloatToFloat8(f, t, true), code) << DataTypeName(t) << " " << code;
      }
    }
  }
}

TEST(Cast, Float4AndE8M0Encoding) {
  EXPECT_EQ(cpu::FloatToFloat4(0.25f), 0);  // tie: even code
  EXPECT_EQ(cpu::FloatToFloat4(-3.5f), 0xe);
  EXPECT_EQ(cpu::FloatToFloat4(9.0f), 7);
  EXPECT_EQ(cpu::FloatToFloat4(-0.0f), 8);
  EXPECT_EQ(cpu::FloatToE8M0(0.124f, true, cpu::E8M0Rounding::kUp), 0x7c);
  EXPECT_EQ(cpu::FloatToE8M0(1.4f, true, cpu::E8M0Rounding::kNearest), 127);
  EXPECT_EQ(cpu::FloatToE8M0(1.5f, true, cpu::E8M0Rounding::kNearest), 128);
  EXPECT_EQ(cpu::FloatToE8M0(3e38f, true, cpu::E8M0Rounding::kUp), 254);
  EXPECT_EQ(cpu::FloatToE8M0(3e38f, false, cpu::E8M0Rounding::kUp), 255);
}

TEST(Cast, ToFloat8ThroughTheKernel) {
  OpTest t("Cast", 19);
  t.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kFloat8E4M3FN)});
  t.AddAttr("saturate", int64_t{0});
  t.AddInput<float>("input", {3}, {1.0f, 1000.0f, -0.5f});
  t.AddOutputUnchecked("output");
  std::vector<Value> out = t.RunAndGet();
  ASSERT_EQ(out.size(), 1u);
  const Tensor& y = out[0].tensor();
  ASSERT_EQ(y.type(), DataType::kFloat8E4M3FN);
  const auto* b = static_cast<const uint8_t*>(y.raw());
  EXPECT_EQ(b[0], 0x38);
  EXPECT_EQ(b[1], 0x7f);
  EXPECT_EQ(b[2], 0xb0);
}

TEST(Cast, Int4PackingWraps) {
  OpTest t("Cast", 21);
  t.AddAttr("to", int64_t{static_cast<int64_t>(DataType::kInt4)});
  t.AddInput<float>("input", {3}, {-9, 7, -1});
  t.AddOutputUnchecked("output");
  std::vector<Value> out = t.RunAndGet();
  ASSERT_EQ(out.size(), 1u);
  const auto* b = static_cast<const uint8_t*>(out[0].tensor().raw());
  EXPECT_EQ(b[0], 0x77);
  EXPECT_EQ(b[1] & 0x0f, 0x0f);
}

}  // namespace onyx::test
