#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(BitwiseNot, Basic) {
  OpTest t("BitwiseNot", 18);
  t.AddInput<uint8_t>("X", {2}, {0, 0x0f});
  t.AddOutput<uint8_t>("Y", {2}, {0xff, 0xf0});
  t.Run();

  OpTest u("BitwiseNot", 18);
  u.AddInput<int32_t>("X", {2}, {0, -5});
  u.AddOutput<int32_t>("Y", {2}, {-1, 4});
  u.Run();
}

}  // namespace onyx::test
