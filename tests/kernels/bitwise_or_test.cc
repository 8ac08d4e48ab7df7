#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(BitwiseOr, Basic) {
  OpTest t("BitwiseOr", 18);
  t.AddInput<uint8_t>("A", {2}, {0x0e, 0xf2});
  t.AddInput<uint8_t>("B", {2}, {0x3c, 0x0f});
  t.AddOutput<uint8_t>("C", {2}, {0x3e, 0xff});
  t.Run();
}

TEST(BitwiseOr, SignedBroadcast) {
  OpTest t("BitwiseOr", 18);
  t.AddInput<int32_t>("A", {2}, {-1, 6});
  t.AddInput<int32_t>("B", {}, {3});
  t.AddOutput<int32_t>("C", {2}, {-1 | 3, 6 | 3});
  t.Run();
}

}  // namespace onyx::test
