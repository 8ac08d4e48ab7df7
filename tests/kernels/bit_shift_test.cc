#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(BitShift, LeftAndRight) {
  OpTest t("BitShift", 11);
  t.AddInput<uint8_t>("X", {3}, {16, 4, 1});
  t.AddInput<uint8_t>("Y", {3}, {1, 2, 3});
  t.AddAttr("direction", std::string("RIGHT"));
  t.AddOutput<uint8_t>("Z", {3}, {8, 1, 0});
  t.Run();

  OpTest u("BitShift", 11);
  u.AddInput<uint32_t>("X", {3}, {16, 4, 1});
  u.AddInput<uint32_t>("Y", {1}, {2});
  u.AddAttr("direction", std::string("LEFT"));
  u.AddOutput<uint32_t>("Z", {3}, {64, 16, 4});
  u.Run();
}

TEST(BitShift, WideShiftGivesZero) {
  OpTest t("BitShift", 11);
  t.AddInput<uint64_t>("X", {1}, {5});
  t.AddInput<uint64_t>("Y", {1}, {64});
  t.AddAttr("direction", std::string("LEFT"));
  t.AddOutput<uint64_t>("Z", {1}, {0});
  t.Run();
}

TEST(BitShift, BadDirectionIsAnError) {
  OpTest t("BitShift", 11);
  t.AddInput<uint8_t>("X", {1}, {1});
  t.AddInput<uint8_t>("Y", {1}, {1});
  t.AddAttr("direction", std::string("UP"));
  t.AddOutputUnchecked("Z");
  t.RunExpectError("direction");
}

}  // namespace onyx::test
