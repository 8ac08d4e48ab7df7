#include <limits>
#include <vector>

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

TEST(GlobalMaxPool, LongPlanesAgainstOneChain) {
  // Planes longer than the sixteen running maxima, with a tail; the maximum in different places per plane.
  const int64_t n = 37;
  std::vector<float> x(3 * n);
  for (int64_t i = 0; i < 3 * n; ++i) x[static_cast<size_t>(i)] = static_cast<float>((i * 7) % 23) - 11.0f;
  x[5] = 50;           // plane 0: in the first block of sixteen
  x[n + 35] = 60;      // plane 1: in the tail
  x[2 * n + 20] = 70;  // plane 2: in the second block
  OpTest t("GlobalMaxPool", 1);
  t.AddInput<float>("X", {1, 3, n}, x);
  t.AddOutput<float>("Y", {1, 3, 1}, {50, 60, 70});
  t.Run();
}

TEST(GlobalMaxPool, NaNFirstIsTheResult) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> x(40, 1.0f);
  x[0] = nan;
  OpTest t("GlobalMaxPool", 1);
  t.AddInput<float>("X", {1, 1, 40}, x);
  t.AddOutput<float>("Y", {1, 1, 1}, {nan});
  t.Run();
}

}  // namespace onyx::test
