#include "kernels/op_test.h"

namespace onyx::test {

TEST(QLinearMatMul, Uint8PerTensor) {
  OpTest t("QLinearMatMul", 10);
  t.AddInput<uint8_t>("a", {2, 3}, {208, 236, 0, 10, 128, 255});
  t.AddInput<float>("a_scale", {}, {0.0066f});
  t.AddInput<uint8_t>("a_zero_point", {}, {113});
  t.AddInput<uint8_t>("b", {3, 2}, {152, 51, 244, 60, 26, 255});
  t.AddInput<float>("b_scale", {}, {0.00705f});
  t.AddInput<uint8_t>("b_zero_point", {}, {114});
  t.AddInput<float>("y_scale", {}, {0.0107f});
  t.AddInput<uint8_t>("y_zero_point", {}, {118});
  t.AddOutput<uint8_t>("y", {2, 2}, {246, 0, 55, 230});
  t.Run();
}

TEST(QLinearMatMul, PerColumnBToInt8) {
  OpTest t("QLinearMatMul", 21);
  t.AddInput<uint8_t>("a", {2, 3}, {208, 236, 0, 10, 128, 255});
  t.AddInput<float>("a_scale", {}, {0.0066f});
  t.AddInput<uint8_t>("a_zero_point", {}, {113});
  t.AddInput<uint8_t>("b", {3, 2}, {152, 51, 244, 60, 26, 255});
  t.AddInput<float>("b_scale", {2}, {0.00705f, 0.01f});
  t.AddInput<uint8_t>("b_zero_point", {2}, {114, 100});
  t.AddInput<float>("y_scale", {}, {0.0107f});
  t.AddInput<int8_t>("y_zero_point", {}, {-3});
  t.AddOutput<int8_t>("y", {2, 2}, {125, -128, -66, 127});
  t.Run();
}

TEST(QLinearMatMul, Errors) {
  OpTest t("QLinearMatMul", 10);
  t.AddInput<uint8_t>("a", {2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("a_scale", {3}, {1, 1, 1});
  t.AddInput<uint8_t>("a_zero_point", {}, {0});
  t.AddInput<uint8_t>("b", {2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("b_scale", {}, {1});
  t.AddInput<uint8_t>("b_zero_point", {}, {0});
  t.AddInput<float>("y_scale", {}, {1});
  t.AddInput<uint8_t>("y_zero_point", {}, {0});
  t.AddOutputUnchecked("y");
  t.RunExpectError("a_scale");
}

}  // namespace onyx::test
