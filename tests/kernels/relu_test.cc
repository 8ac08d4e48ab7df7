#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Relu, Float) {
  OpTest t("Relu", 14);
  t.AddInput<float>("X", {2, 3}, {-1, 0, 1, 2, -3, 0.5f});
  t.AddOutput<float>("Y", {2, 3}, {0, 0, 1, 2, 0, 0.5f});
  t.Run();
}

TEST(Relu, IntegersAndOldOpsets) {
  OpTest t("Relu", 14);
  t.AddInput<int32_t>("X", {3}, {-5, 0, 5});
  t.AddOutput<int32_t>("Y", {3}, {0, 0, 5});
  t.Run();

  OpTest u("Relu", 6);
  u.AddInput<double>("X", {2}, {-1.5, 1.5});
  u.AddOutput<double>("Y", {2}, {0, 1.5});
  u.Run();
}

TEST(Relu, NaNStaysNaN) {
  OpTest t("Relu", 14);
  t.AddInput<float>("X", {1}, {NAN});
  t.AddOutput<float>("Y", {1}, {NAN});
  t.Run();
}

TEST(Relu, BFloat16) {
  OpTest t("Relu", 14);
  t.AddInput<BFloat16>("X", {2}, {BFloat16{FloatToBFloat16(-2.0f)}, BFloat16{FloatToBFloat16(3.0f)}});
  t.AddOutput<BFloat16>("Y", {2}, {BFloat16{FloatToBFloat16(0.0f)}, BFloat16{FloatToBFloat16(3.0f)}});
  t.Run();
}

}  // namespace onyx::test
