#include "kernels/op_test.h"

namespace onyx::test {

TEST(Sigmoid, Float) {
  OpTest t("Sigmoid", 13);
  t.AddInput<float>("X", {5}, {-2, -0.5f, 0, 0.5f, 3});
  t.AddOutput<float>("Y", {5}, {0.119202919f, 0.377540678f, 0.5f, 0.622459352f, 0.952574134f});
  t.Run();
}

TEST(Sigmoid, ExtremesDoNotOverflow) {
  OpTest t("Sigmoid", 6);
  t.AddInput<float>("X", {2}, {-100, 100});
  t.AddOutput<float>("Y", {2}, {0, 1});
  t.Run();
}

TEST(Sigmoid, Double) {
  OpTest t("Sigmoid", 13);
  t.AddInput<double>("X", {1}, {0});
  t.AddOutput<double>("Y", {1}, {0.5});
  t.Run();
}

}  // namespace onyx::test
