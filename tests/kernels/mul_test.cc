#include "kernels/op_test.h"

namespace onyx::test {

TEST(Mul, Basic) {
  OpTest t("Mul", 14);
  t.AddInput<float>("A", {2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("B", {2, 2}, {2, 3, 4, 5});
  t.AddOutput<float>("C", {2, 2}, {2, 6, 12, 20});
  t.Run();
}

TEST(Mul, ColumnBroadcast) {
  OpTest t("Mul", 14);
  t.AddInput<float>("A", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<float>("B", {2, 1}, {10, -1});
  t.AddOutput<float>("C", {2, 3}, {10, 20, 30, -4, -5, -6});
  t.Run();
}

TEST(Mul, Uint16DoesNotOverflowInt) {
  OpTest t("Mul", 14);
  t.AddInput<uint16_t>("A", {1}, {65535});
  t.AddInput<uint16_t>("B", {1}, {65535});
  t.AddOutput<uint16_t>("C", {1}, {1});
  t.Run();
}

TEST(Mul, EmptyTensor) {
  OpTest t("Mul", 14);
  t.AddInput<float>("A", {0, 3}, {});
  t.AddInput<float>("B", {3}, {1, 2, 3});
  t.AddOutput<float>("C", {0, 3}, {});
  t.Run();
}

TEST(Mul, Legacy) {
  OpTest t("Mul", 6);
  t.AddInput<float>("A", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<float>("B", {2}, {10, 100});
  t.AddAttr("broadcast", int64_t{1});
  t.AddAttr("axis", int64_t{0});
  t.AddOutput<float>("C", {2, 3}, {10, 20, 30, 400, 500, 600});
  t.Run();
}

}  // namespace onyx::test
