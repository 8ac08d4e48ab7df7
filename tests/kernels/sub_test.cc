#include "kernels/op_test.h"

namespace onyx::test {

TEST(Sub, Basic) {
  OpTest t("Sub", 14);
  t.AddInput<float>("A", {3}, {1, 2, 3});
  t.AddInput<float>("B", {3}, {3, 2, 1});
  t.AddOutput<float>("C", {3}, {-2, 0, 2});
  t.Run();
}

TEST(Sub, BroadcastScalarFirst) {
  OpTest t("Sub", 13);
  t.AddInput<int32_t>("A", {1}, {10});
  t.AddInput<int32_t>("B", {2, 2}, {1, 2, 3, 4});
  t.AddOutput<int32_t>("C", {2, 2}, {9, 8, 7, 6});
  t.Run();
}

TEST(Sub, UnsignedWraps) {
  OpTest t("Sub", 14);
  t.AddInput<uint8_t>("A", {2}, {0, 5});
  t.AddInput<uint8_t>("B", {2}, {1, 3});
  t.AddOutput<uint8_t>("C", {2}, {255, 2});
  t.Run();
}

TEST(Sub, BFloat16) {
  OpTest t("Sub", 14);
  t.AddInput<BFloat16>("A", {1}, {BFloat16{FloatToBFloat16(3.0f)}});
  t.AddInput<BFloat16>("B", {1}, {BFloat16{FloatToBFloat16(0.5f)}});
  t.AddOutput<BFloat16>("C", {1}, {BFloat16{FloatToBFloat16(2.5f)}});
  t.Run();
}

TEST(Sub, MismatchedTypesIsAnError) {
  OpTest t("Sub", 14);
  t.AddInput<float>("A", {1}, {1});
  t.AddInput<double>("B", {1}, {1});
  t.AddOutputUnchecked("C");
  t.RunExpectError("type");
}

}  // namespace onyx::test
