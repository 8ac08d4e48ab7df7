#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Mean, ThreeInputs) {
  OpTest t("Mean", 13);
  t.AddInput<float>("a", {3}, {3, 0, 2});
  t.AddInput<float>("b", {3}, {1, 3, 4});
  t.AddInput<float>("c", {3}, {2, 6, 6});
  t.AddOutput<float>("m", {3}, {2, 3, 4});
  t.Run();
}

TEST(Mean, Broadcast) {
  OpTest t("Mean", 13);
  t.AddInput<double>("a", {2, 1}, {1, 3});
  t.AddInput<double>("b", {2}, {3, 5});
  t.AddOutput<double>("m", {2, 2}, {2, 3, 3, 4});
  t.Run();
}

}  // namespace onyx::test
