#include "kernels/op_test.h"

namespace onyx::test {

TEST(DynamicQuantizeLinear, Basic) {
  OpTest t("DynamicQuantizeLinear", 11);
  t.AddInput<float>("x", {5}, {-1.0f, 0.5f, 2.0f, 3.1f, -0.2f});
  t.AddOutput<uint8_t>("y", {5}, {0, 93, 186, 255, 50});
  t.AddOutput<float>("y_scale", {}, {0.01607843f});
  t.AddOutput<uint8_t>("y_zero_point", {}, {62});
  t.Run();
}

TEST(DynamicQuantizeLinear, AllZerosAndPositiveOnly) {
  OpTest t("DynamicQuantizeLinear", 11);
  t.AddInput<float>("x", {3}, {0, 0, 0});
  t.AddOutput<uint8_t>("y", {3}, {0, 0, 0});
  t.AddOutput<float>("y_scale", {}, {0});
  t.AddOutput<uint8_t>("y_zero_point", {}, {0});
  t.Run();
  OpTest p("DynamicQuantizeLinear", 11);
  p.AddInput<float>("x", {2}, {2.55f, 1.0f});
  p.AddOutput<uint8_t>("y", {2}, {255, 100});
  p.AddOutput<float>("y_scale", {}, {0.01f});
  p.AddOutput<uint8_t>("y_zero_point", {}, {0});
  p.Run();
}

TEST(DynamicQuantizeLinear, RejectsNonFloat) {
  OpTest t("DynamicQuantizeLinear", 11);
  t.AddInput<double>("x", {1}, {1});
  t.AddOutputUnchecked("y");
  t.AddOutputUnchecked("y_scale");
  t.AddOutputUnchecked("y_zero_point");
  t.RunExpectError("");
}

}  // namespace onyx::test
