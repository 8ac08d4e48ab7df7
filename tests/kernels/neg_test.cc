#include "kernels/op_test.h"

namespace onyx::test {

TEST(Neg, Float) {
  OpTest t("Neg", 13);
  t.AddInput<float>("X", {3}, {-4, 2, 0});
  t.AddOutput<float>("Y", {3}, {4, -2, 0});
  t.Run();
}

TEST(Neg, Integers) {
  OpTest t("Neg", 13);
  t.AddInput<int8_t>("X", {3}, {-128, 127, 0});
  t.AddOutput<int8_t>("Y", {3}, {-128, -127, 0});
  t.Run();

  OpTest u("Neg", 6);
  u.AddInput<int64_t>("X", {2}, {5, -7});
  u.AddOutput<int64_t>("Y", {2}, {-5, 7});
  u.Run();
}

TEST(Neg, UnsignedIsRejected) {
  OpTest t("Neg", 13);
  t.AddInput<uint8_t>("X", {1}, {1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("Neg");
}

}  // namespace onyx::test
