#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Mod, IntegerTakesDivisorSign) {
  OpTest t("Mod", 13);
  t.AddInput<int32_t>("A", {6}, {-4, 7, 5, 4, -7, 8});
  t.AddInput<int32_t>("B", {6}, {2, -3, 8, -2, 3, 5});
  t.AddOutput<int32_t>("C", {6}, {0, -2, 5, 0, 2, 3});
  t.Run();
}

TEST(Mod, Fmod) {
  OpTest t("Mod", 13);
  t.AddInput<float>("A", {4}, {-4.3f, 7.2f, 5.0f, 4.3f});
  t.AddInput<float>("B", {4}, {2.1f, -3.4f, 8.0f, -2.1f});
  t.AddAttr("fmod", int64_t{1});
  t.AddOutput<float>("C", {4}, {std::fmod(-4.3f, 2.1f), std::fmod(7.2f, -3.4f), 5.0f, std::fmod(4.3f, -2.1f)});
  t.Run();

  OpTest u("Mod", 13);
  u.AddInput<int64_t>("A", {2}, {-7, 7});
  u.AddInput<int64_t>("B", {1}, {3});
  u.AddAttr("fmod", int64_t{1});
  u.AddOutput<int64_t>("C", {2}, {-1, 1});
  u.Run();
}

TEST(Mod, Errors) {
  OpTest t("Mod", 13);
  t.AddInput<int32_t>("A", {1}, {1});
  t.AddInput<int32_t>("B", {1}, {0});
  t.AddOutputUnchecked("C");
  t.RunExpectError("by zero");

  OpTest u("Mod", 13);
  u.AddInput<float>("A", {1}, {1});
  u.AddInput<float>("B", {1}, {2});
  u.AddOutputUnchecked("C");
  u.RunExpectError("fmod");
}

}  // namespace onyx::test
