#include "kernels/op_test.h"

namespace onyx::test {

TEST(QLinearConv, PerChannelWeightsBiasInt8Output) {
  std::vector<uint8_t> x;
  for (int i = 0; i < 36; ++i) x.push_back(static_cast<uint8_t>(i));
  OpTest t("QLinearConv", 10);
  t.AddAttr("group", int64_t{2});
  t.AddAttr("pads", std::vector<int64_t>{1, 0, 0, 1});
  t.AddInput<uint8_t>("x", {2, 2, 3, 3}, x);
  t.AddInput<float>("x_scale", {}, {0.1f});
  t.AddInput<uint8_t>("x_zero_point", {}, {3});
  t.AddInput<int8_t>("w", {2, 1, 2, 2}, {0, 1, 2, 3, 4, 0, 1, 2});
  t.AddInput<float>("w_scale", {2}, {0.05f, 0.2f});
  t.AddInput<int8_t>("w_zero_point", {2}, {1, 2});
  t.AddInput<float>("y_scale", {}, {0.3f});
  t.AddInput<int8_t>("y_zero_point", {}, {5});
  t.AddInput<int32_t>("B", {2}, {10, -20});
  t.AddOutput<int8_t>("y", {2, 2, 3, 3}, {5, 5, 5, 5, 5, 5, 5, 5, 5, 3, 3, 3, 3, 3, 4, 3, 3, 4,
                                          6, 6, 5, 6, 6, 5, 6, 6, 5, 2, 2, 2, 2, 2, 5, 2, 1, 5});
  t.Run();
}

TEST(QLinearConv, Uint8Saturates) {
  OpTest t("QLinearConv", 10);
  t.AddInput<uint8_t>("x", {1, 1, 1, 2}, {255, 0});
  t.AddInput<float>("x_scale", {}, {1});
  t.AddInput<uint8_t>("x_zero_point", {}, {0});
  t.AddInput<uint8_t>("w", {1, 1, 1, 1}, {2});
  t.AddInput<float>("w_scale", {}, {1});
  t.AddInput<uint8_t>("w_zero_point", {}, {0});
  t.AddInput<float>("y_scale", {}, {1});
  t.AddInput<uint8_t>("y_zero_point", {}, {1});
  t.AddOutput<uint8_t>("y", {1, 1, 1, 2}, {255, 1});
  t.Run();
}

TEST(QLinearConv, Errors) {
  OpTest t("QLinearConv", 10);
  t.AddInput<uint8_t>("x", {1, 1, 2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("x_scale", {}, {1});
  t.AddInput<uint8_t>("x_zero_point", {}, {0});
  t.AddInput<uint8_t>("w", {2, 1, 1, 1}, {1, 2});
  t.AddInput<float>("w_scale", {3}, {1, 1, 1});
  t.AddInput<uint8_t>("w_zero_point", {}, {0});
  t.AddInput<float>("y_scale", {}, {1});
  t.AddInput<uint8_t>("y_zero_point", {}, {0});
  t.AddOutputUnchecked("y");
  t.RunExpectError("w_scale");
}

}  // namespace onyx::test
