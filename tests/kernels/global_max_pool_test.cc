#include "kernels/op_test.h"

namespace onyx::test {

TEST(GlobalMaxPool, TwoDimensional) {
  OpTest t("GlobalMaxPool", 1);
  t.AddInput<float>("X", {1, 2, 2, 2}, {1, -2, 3, 4, -5, -6, -7, -8});
  t.AddOutput<float>("Y", {1, 2, 1, 1}, {4, -5});
  t.Run();
}

TEST(GlobalMaxPool, Float16) {
  OpTest t("GlobalMaxPool", 22);
  t.AddInput<Float16>("X", {1, 1, 3}, {Float16{FloatToHalf(1)}, Float16{FloatToHalf(3)}, Float16{FloatToHalf(2)}});
  t.AddOutput<Float16>("Y", {1, 1, 1}, {Float16{FloatToHalf(3)}});
  t.Run();
}

}  // namespace onyx::test
