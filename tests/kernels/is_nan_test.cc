#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(IsNaN, Basic) {
  OpTest t("IsNaN", 13);
  t.AddInput<float>("X", {4}, {1, NAN, INFINITY, -0.0f});
  t.AddOutput<bool>("Y", {4}, {false, true, false, false});
  t.Run();

  OpTest u("IsNaN", 13);
  u.AddInput<Float16>("X", {2}, {Float16{FloatToHalf(NAN)}, Float16{FloatToHalf(1.0f)}});
  u.AddOutput<bool>("Y", {2}, {true, false});
  u.Run();
}

}  // namespace onyx::test
