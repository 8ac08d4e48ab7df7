#include "kernels/op_test.h"

namespace onyx::test {

TEST(MatMulInteger, PerRowAndPerColumnZeroPoints) {
  OpTest t("MatMulInteger", 10);
  t.AddInput<uint8_t>("A", {4, 3}, {11, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0});
  t.AddInput<uint8_t>("B", {3, 2}, {1, 4, 2, 5, 3, 6});
  t.AddInput<uint8_t>("a_zero_point", {4}, {12, 1, 2, 3});
  t.AddInput<uint8_t>("b_zero_point", {2}, {0, 1});
  t.AddOutput<int32_t>("Y", {4, 2}, {-38, -68, 22, 52, 10, 28, -2, 4});
  t.Run();
}

TEST(MatMulInteger, MixedSignsNoZeroPointsAndBroadcastBatch) {
  OpTest t("MatMulInteger", 10);
  t.AddInput<int8_t>("A", {2, 1, 2}, {-128, 127, 1, -1});
  t.AddInput<uint8_t>("B", {2, 2}, {255, 0, 1, 2});
  t.AddOutput<int32_t>("Y", {2, 1, 2}, {-32513, 254, 254, -2});
  t.Run();
}

TEST(MatMulInteger, VectorOperands) {
  OpTest t("MatMulInteger", 10);
  t.AddInput<uint8_t>("A", {3}, {1, 2, 3});
  t.AddInput<uint8_t>("B", {3}, {4, 5, 6});
  t.AddInput<uint8_t>("a_zero_point", {}, {1});
  t.AddOutput<int32_t>("Y", {}, {17});
  t.Run();
}

TEST(MatMulInteger, Errors) {
  OpTest t("MatMulInteger", 10);
  t.AddInput<uint8_t>("A", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<uint8_t>("B", {2, 2}, {1, 2, 3, 4});
  t.AddOutputUnchecked("y");
  t.RunExpectError("inner dims");
  OpTest z("MatMulInteger", 10);
  z.AddInput<uint8_t>("A", {2, 2}, {1, 2, 3, 4});
  z.AddInput<uint8_t>("B", {2, 2}, {1, 2, 3, 4});
  z.AddInput<uint8_t>("a_zero_point", {3}, {1, 2, 3});
  z.AddOutputUnchecked("y");
  z.RunExpectError("a_zero_point");
}

}  // namespace onyx::test
