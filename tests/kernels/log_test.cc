#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Log, Float) {
  OpTest t("Log", 13);
  t.AddInput<float>("X", {4}, {1, 10, 0.5f, 0});
  t.AddOutput<float>("Y", {4}, {0, 2.30258512f, -0.693147182f, -INFINITY});
  t.Run();
}

TEST(Log, DoubleAndOldOpset) {
  OpTest t("Log", 6);
  t.AddInput<double>("X", {2}, {1, 2.718281828459045});
  t.AddOutput<double>("Y", {2}, {0, 1});
  t.Run();
}

}  // namespace onyx::test
