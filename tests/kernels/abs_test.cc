#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Abs, Float) {
  OpTest t("Abs", 13);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7}, {2.5f, 1, 0.5f, 0, 0.300000012f, 1, 2.5f});
  t.Run();
}

TEST(Abs, Double) {
  OpTest u("Abs", 13);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7}, {2.5, 1, 0.5, 0, 0.30000001192092896, 1, 2.5});
  u.Run();
}

TEST(Abs, Integers) {
  OpTest t("Abs", 13);
  t.AddInput<int32_t>("X", {3}, {-3, 0, 4});
  t.AddOutput<int32_t>("Y", {3}, {3, 0, 4});
  t.Run();

  OpTest u("Abs", 13);
  u.AddInput<uint8_t>("X", {2}, {0, 200});
  u.AddOutput<uint8_t>("Y", {2}, {0, 200});
  u.Run();
}

}  // namespace onyx::test
