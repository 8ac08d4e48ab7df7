#include "kernels/op_test.h"

namespace onyx::test {

TEST(NonZero, Float2D) {
  OpTest t("NonZero", 13);
  t.AddInput<float>("X", {2, 2}, {1, 0, -0.0f, 3});
  t.AddOutput<int64_t>("Y", {2, 2}, {0, 1, 0, 1});
  t.Run();
}

TEST(NonZero, BoolAndEmpty) {
  OpTest t("NonZero", 13);
  t.AddInput<bool>("X", {3}, {false, true, true});
  t.AddOutput<int64_t>("Y", {1, 2}, {1, 2});
  t.Run();
  OpTest e("NonZero", 13);
  e.AddInput<int32_t>("X", {2}, {0, 0});
  e.AddOutput<int64_t>("Y", {1, 0}, {});
  e.Run();
}

}  // namespace onyx::test
