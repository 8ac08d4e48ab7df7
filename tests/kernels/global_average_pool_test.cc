#include "kernels/op_test.h"

namespace onyx::test {

TEST(GlobalAveragePool, TwoDimensional) {
  OpTest t("GlobalAveragePool", 1);
  t.AddInput<float>("X", {1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  t.AddOutput<float>("Y", {1, 2, 1, 1}, {2.5f, 6.5f});
  t.Run();
}

TEST(GlobalAveragePool, OneDimensionalDouble) {
  OpTest t("GlobalAveragePool", 22);
  t.AddInput<double>("X", {2, 1, 3}, {1, 2, 3, -3, 0, 0});
  t.AddOutput<double>("Y", {2, 1, 1}, {2, -1});
  t.Run();
}

TEST(GlobalAveragePool, RankOneIsAnError) {
  OpTest t("GlobalAveragePool", 22);
  t.AddInput<float>("X", {3}, {1, 2, 3});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("rank");
}

}  // namespace onyx::test
