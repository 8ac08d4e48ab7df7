#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Max, ThreeInputsBroadcast) {
  OpTest t("Max", 13);
  t.AddInput<float>("a", {3}, {3, 2, 1});
  t.AddInput<float>("b", {1}, {2});
  t.AddInput<float>("c", {2, 1}, {0, 5});
  t.AddOutput<float>("m", {2, 3}, {3, 2, 2, 5, 5, 5});
  t.Run();
}

TEST(Max, IntegersAndNaN) {
  OpTest t("Max", 13);
  t.AddInput<int32_t>("a", {2}, {-1, 7});
  t.AddInput<int32_t>("b", {2}, {3, 2});
  t.AddOutput<int32_t>("m", {2}, {3, 7});
  t.Run();

  OpTest u("Max", 13);
  u.AddInput<float>("a", {2}, {NAN, 1});
  u.AddInput<float>("b", {2}, {1, NAN});
  u.AddOutput<float>("m", {2}, {NAN, NAN});
  u.Run();
}

}  // namespace onyx::test
