#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Where, Basic) {
  OpTest t("Where", 16);
  t.AddInput<bool>("C", {2, 2}, {true, false, true, true});
  t.AddInput<float>("X", {2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("Y", {2, 2}, {9, 8, 7, 6});
  t.AddOutput<float>("Z", {2, 2}, {1, 8, 3, 4});
  t.Run();
}

TEST(Where, BroadcastAllThree) {
  OpTest t("Where", 9);
  t.AddInput<bool>("C", {2, 1}, {true, false});
  t.AddInput<int64_t>("X", {3}, {1, 2, 3});
  t.AddInput<int64_t>("Y", {}, {0});
  t.AddOutput<int64_t>("Z", {2, 3}, {1, 2, 3, 0, 0, 0});
  t.Run();
}

TEST(Where, Strings) {
  OpTest t("Where", 16);
  t.AddInput<bool>("C", {2}, {false, true});
  t.AddInput<std::string>("X", {2}, {"a", "b"});
  t.AddInput<std::string>("Y", {1}, {"z"});
  t.AddOutput<std::string>("Z", {2}, {"z", "b"});
  t.Run();
}

TEST(Where, Errors) {
  OpTest t("Where", 16);
  t.AddInput<bool>("C", {3}, {true, false, true});
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<float>("Y", {2}, {1, 2});
  t.AddOutputUnchecked("Z");
  t.RunExpectError("broadcast");

  OpTest u("Where", 16);
  u.AddInput<bool>("C", {1}, {true});
  u.AddInput<float>("X", {1}, {1});
  u.AddInput<double>("Y", {1}, {1});
  u.AddOutputUnchecked("Z");
  u.RunExpectError("type");
}

}  // namespace onyx::test
