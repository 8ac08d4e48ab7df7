#include "kernels/op_test.h"

namespace onyx::test {

TEST(Gather, Axis0) {
  OpTest t("Gather", 13);
  t.AddInput<float>("data", {3, 2}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int64_t>("indices", {2, 2}, {0, 1, 1, 2});
  t.AddOutput<float>("output", {2, 2, 2}, {1, 2, 3, 4, 3, 4, 5, 6});
  t.Run();
}

TEST(Gather, Axis1NegativeInt32Indices) {
  OpTest t("Gather", 13);
  t.AddAttr("axis", int64_t{1});
  t.AddInput<int64_t>("data", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int32_t>("indices", {2}, {-1, 0});
  t.AddOutput<int64_t>("output", {2, 2}, {3, 1, 6, 4});
  t.Run();
}

TEST(Gather, ScalarIndexDropsAxis) {
  OpTest t("Gather", 11);
  t.AddInput<std::string>("data", {2, 2}, {"a", "b", "c", "d"});
  t.AddInput<int64_t>("indices", {}, {1});
  t.AddOutput<std::string>("output", {2}, {"c", "d"});
  t.Run();
}

TEST(Gather, OutOfRangeIndexIsAnError) {
  OpTest t("Gather", 13);
  t.AddInput<float>("data", {3}, {1, 2, 3});
  t.AddInput<int64_t>("indices", {1}, {3});
  t.AddOutputUnchecked("output");
  t.RunExpectError("out of range");
  OpTest n("Gather", 13);
  n.AddInput<float>("data", {3}, {1, 2, 3});
  n.AddInput<int64_t>("indices", {1}, {-4});
  n.AddOutputUnchecked("output");
  n.RunExpectError("out of range");
}

TEST(Gather, BadAxisIsAnError) {
  OpTest t("Gather", 13);
  t.AddAttr("axis", int64_t{2});
  t.AddInput<float>("data", {3}, {1, 2, 3});
  t.AddInput<int64_t>("indices", {1}, {0});
  t.AddOutputUnchecked("output");
  t.RunExpectError("out of range");
}

}  // namespace onyx::test
