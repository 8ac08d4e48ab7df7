#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(OneHot, DefaultAxis) {
  OpTest t("OneHot", 11);
  t.AddInput<int64_t>("indices", {3}, {0, 2, -1});
  t.AddInput<int64_t>("depth", {}, {3});
  t.AddInput<float>("values", {2}, {0, 1});
  t.AddOutput<float>("output", {3, 3}, {1, 0, 0, 0, 0, 1, 0, 0, 1});
  t.Run();
}

TEST(OneHot, Axis0OutOfRangeIsOff) {
  OpTest t("OneHot", 11);
  t.AddAttr("axis", int64_t{0});
  t.AddInput<float>("indices", {2}, {1, 7});
  t.AddInput<float>("depth", {1}, {2});
  t.AddInput<int32_t>("values", {2}, {-1, 5});
  t.AddOutput<int32_t>("output", {2, 2}, {-1, -1, 5, -1});
  t.Run();
}

TEST(OneHot, BadValuesIsAnError) {
  OpTest t("OneHot", 11);
  t.AddInput<int64_t>("indices", {1}, {0});
  t.AddInput<int64_t>("depth", {}, {2});
  t.AddInput<float>("values", {3}, {0, 1, 2});
  t.AddOutputUnchecked("output");
  t.RunExpectError("two values");
}

// Found by the `run` fuzz target (tests/fuzz/regressions/run/): a NaN index passed both range checks and was
// converted to an integer (undefined; UBSan stopped there). NaN and infinite indices now select nothing.
TEST(OneHot, NanAndInfiniteIndicesAreOff) {
  OpTest t("OneHot", 11);
  t.AddInput<float>("indices", {4}, {std::nanf(""), INFINITY, -INFINITY, 1});
  t.AddInput<int64_t>("depth", {}, {2});
  t.AddInput<float>("values", {2}, {0, 1});
  t.AddOutput<float>("output", {4, 2}, {0, 0, 0, 0, 0, 0, 0, 1});
  t.Run();
}

}  // namespace onyx::test
