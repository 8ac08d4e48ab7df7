#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Sqrt, Float) {
  OpTest t("Sqrt", 13);
  t.AddInput<float>("X", {4}, {0, 1, 4, 2});
  t.AddOutput<float>("Y", {4}, {0, 1, 2, 1.41421354f});
  t.Run();
}

TEST(Sqrt, NegativeGivesNaN) {
  OpTest t("Sqrt", 13);
  t.AddInput<double>("X", {2}, {-1, 9});
  t.AddOutput<double>("Y", {2}, {NAN, 3});
  t.Run();
}

TEST(Sqrt, Float16) {
  OpTest t("Sqrt", 13);
  t.AddInput<Float16>("X", {2}, {Float16{FloatToHalf(4.0f)}, Float16{FloatToHalf(0.25f)}});
  t.AddOutput<Float16>("Y", {2}, {Float16{FloatToHalf(2.0f)}, Float16{FloatToHalf(0.5f)}});
  t.Run();
}

TEST(Sqrt, IntegerInputIsAnError) {
  OpTest t("Sqrt", 13);
  t.AddInput<int32_t>("X", {1}, {4});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("Sqrt");
}

}  // namespace onyx::test
