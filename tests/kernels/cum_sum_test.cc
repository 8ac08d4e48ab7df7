#include <limits>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(CumSum, Basic) {
  OpTest t("CumSum", 14);
  t.AddInput<float>("x", {4}, {1, 2, 3, 4});
  t.AddInput<int32_t>("axis", {}, {0});
  t.AddOutput<float>("y", {4}, {1, 3, 6, 10});
  t.Run();
}

TEST(CumSum, ExclusiveReverse) {
  OpTest t("CumSum", 14);
  t.AddAttr("exclusive", int64_t{1});
  t.AddAttr("reverse", int64_t{1});
  t.AddInput<int64_t>("x", {4}, {1, 2, 3, 4});
  t.AddInput<int64_t>("axis", {}, {0});
  t.AddOutput<int64_t>("y", {4}, {9, 7, 4, 0});
  t.Run();
}

TEST(CumSum, Axis1Of2D) {
  OpTest t("CumSum", 11);
  t.AddInput<double>("x", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int64_t>("axis", {}, {-1});
  t.AddOutput<double>("y", {2, 3}, {1, 3, 6, 4, 9, 15});
  t.Run();
}

TEST(CumSum, BadAxisIsAnError) {
  OpTest t("CumSum", 14);
  t.AddInput<float>("x", {2}, {1, 2});
  t.AddInput<int64_t>("axis", {}, {3});
  t.AddOutputUnchecked("y");
  t.RunExpectError("out of range");
}

// Integer sums wrap as the reference's do. The int32 sum used to overflow as a signed int (undefined; UBSan, found
// by the run fuzz target: tests/fuzz/regressions/run/cumsum-int32-overflow); the plain build happened to wrap.
TEST(CumSum, IntegerSumsWrap) {
  OpTest t("CumSum", 14);
  t.AddInput<int32_t>("x", {3}, {std::numeric_limits<int32_t>::max(), 1, 1});
  t.AddInput<int64_t>("axis", {}, {0});
  t.AddOutput<int32_t>("y", {3}, {std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::min(),
                                  std::numeric_limits<int32_t>::min() + 1});
  t.Run();
  OpTest u("CumSum", 14);
  u.AddInput<int64_t>("x", {2}, {std::numeric_limits<int64_t>::min(), -1});
  u.AddInput<int64_t>("axis", {}, {0});
  u.AddOutput<int64_t>("y", {2}, {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()});
  u.Run();
}

}  // namespace onyx::test
