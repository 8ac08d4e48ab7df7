#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Min, TwoInputs) {
  OpTest t("Min", 13);
  t.AddInput<float>("a", {3}, {3, 2, 1});
  t.AddInput<float>("b", {3}, {1, 4, 4});
  t.AddOutput<float>("m", {3}, {1, 2, 1});
  t.Run();
}

TEST(Min, OneInputAndUnsigned) {
  OpTest t("Min", 13);
  t.AddInput<uint64_t>("a", {2}, {5, 9});
  t.AddOutput<uint64_t>("m", {2}, {5, 9});
  t.Run();
}

}  // namespace onyx::test
