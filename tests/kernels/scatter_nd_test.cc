#include "kernels/op_test.h"

namespace onyx::test {

TEST(ScatterND, Elements) {
  OpTest t("ScatterND", 13);
  t.AddInput<float>("data", {4}, {1, 2, 3, 4});
  t.AddInput<int64_t>("indices", {2, 1}, {3, 0});
  t.AddInput<float>("updates", {2}, {9, 10});
  t.AddOutput<float>("output", {4}, {10, 2, 3, 9});
  t.Run();
}

TEST(ScatterND, SlicesWithMul) {
  OpTest t("ScatterND", 16);
  t.AddAttr("reduction", std::string("mul"));
  t.AddInput<int64_t>("data", {2, 2}, {1, 2, 3, 4});
  t.AddInput<int64_t>("indices", {2, 1}, {1, 1});
  t.AddInput<int64_t>("updates", {2, 2}, {2, 2, 3, 3});
  t.AddOutput<int64_t>("output", {2, 2}, {1, 2, 18, 24});
  t.Run();
}

TEST(ScatterND, BadUpdatesShapeIsAnError) {
  OpTest t("ScatterND", 13);
  t.AddInput<float>("data", {4}, {1, 2, 3, 4});
  t.AddInput<int64_t>("indices", {2, 1}, {3, 0});
  t.AddInput<float>("updates", {3}, {9, 10, 11});
  t.AddOutputUnchecked("output");
  t.RunExpectError("updates");
}

TEST(ScatterND, OutOfRangeIsAnError) {
  OpTest t("ScatterND", 13);
  t.AddInput<float>("data", {4}, {1, 2, 3, 4});
  t.AddInput<int64_t>("indices", {1, 1}, {4});
  t.AddInput<float>("updates", {1}, {9});
  t.AddOutputUnchecked("output");
  t.RunExpectError("out of range");
}

}  // namespace onyx::test
