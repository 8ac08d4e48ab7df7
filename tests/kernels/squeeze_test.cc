#include "kernels/op_test.h"

namespace onyx::test {

TEST(Squeeze, AllOnes) {
  OpTest t("Squeeze", 13);
  t.AddInput<float>("data", {1, 3, 1}, {1, 2, 3});
  t.AddOutput<float>("squeezed", {3}, {1, 2, 3});
  t.Run();
}

TEST(Squeeze, AxesInput) {
  OpTest t("Squeeze", 13);
  t.AddInput<int64_t>("data", {1, 3, 1}, {1, 2, 3});
  t.AddConstantInput<int64_t>("axes", {1}, {-1});
  t.AddOutput<int64_t>("squeezed", {1, 3}, {1, 2, 3});
  t.Run();
}

TEST(Squeeze, Opset1AxesAttribute) {
  OpTest t("Squeeze", 1);
  t.AddAttr("axes", std::vector<int64_t>{0});
  t.AddInput<bool>("data", {1, 2}, {true, false});
  t.AddOutput<bool>("squeezed", {2}, {true, false});
  t.Run();
}

TEST(Squeeze, NonUnitAxisIsAnError) {
  OpTest t("Squeeze", 13);
  t.AddInput<float>("data", {2, 1}, {1, 2});
  t.AddInput<int64_t>("axes", {1}, {0});
  t.AddOutputUnchecked("squeezed");
  t.RunExpectError("squeeze");
}

}  // namespace onyx::test
