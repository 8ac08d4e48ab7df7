#include "kernels/op_test.h"

namespace onyx::test {

TEST(ScatterElements, Axis1) {
  OpTest t("ScatterElements", 13);
  t.AddAttr("axis", int64_t{1});
  t.AddInput<float>("data", {1, 5}, {1, 2, 3, 4, 5});
  t.AddInput<int64_t>("indices", {1, 2}, {1, -2});
  t.AddInput<float>("updates", {1, 2}, {1.1f, 2.1f});
  t.AddOutput<float>("output", {1, 5}, {1, 1.1f, 3, 2.1f, 5});
  t.Run();
}

TEST(ScatterElements, ReductionAddWithDuplicates) {
  OpTest t("ScatterElements", 18);
  t.AddAttr("reduction", std::string("add"));
  t.AddInput<int32_t>("data", {3}, {1, 2, 3});
  t.AddInput<int64_t>("indices", {2}, {1, 1});
  t.AddInput<int32_t>("updates", {2}, {10, 20});
  t.AddOutput<int32_t>("output", {3}, {1, 32, 3});
  t.Run();
}

TEST(ScatterElements, ReductionMaxAndStrings) {
  OpTest m("ScatterElements", 18);
  m.AddAttr("reduction", std::string("max"));
  m.AddInput<float>("data", {2}, {5, 5});
  m.AddInput<int64_t>("indices", {2}, {0, 1});
  m.AddInput<float>("updates", {2}, {1, 9});
  m.AddOutput<float>("output", {2}, {5, 9});
  m.Run();
  OpTest s("ScatterElements", 13);
  s.AddInput<std::string>("data", {2}, {"a", "b"});
  s.AddInput<int64_t>("indices", {1}, {1});
  s.AddInput<std::string>("updates", {1}, {"z"});
  s.AddOutput<std::string>("output", {2}, {"a", "z"});
  s.Run();
}

TEST(ScatterElements, OldScatterName) {
  OpTest t("Scatter", 9);
  t.AddInput<float>("data", {3}, {0, 0, 0});
  t.AddInput<int64_t>("indices", {1}, {2});
  t.AddInput<float>("updates", {1}, {7});
  t.AddOutput<float>("output", {3}, {0, 0, 7});
  t.Run();
}

TEST(ScatterElements, OutOfRangeIsAnError) {
  OpTest t("ScatterElements", 13);
  t.AddInput<float>("data", {2}, {1, 2});
  t.AddInput<int64_t>("indices", {1}, {-3});
  t.AddInput<float>("updates", {1}, {0});
  t.AddOutputUnchecked("output");
  t.RunExpectError("out of range");
}

}  // namespace onyx::test
