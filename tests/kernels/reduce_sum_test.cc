#include <cmath>

#include "kernels/reduce_test_util.h"

namespace onyx::test {

namespace {
const ReduceCase kSumCase = {"ReduceSum",
                             12,
                             13,
                             {-1.25f, 0.25f, 1.75f, -0.25f, 2.75f, 0.75f, -1.25f, 0.25f},
                             {-1, 4.5f, -0.5f},
                             {-2, 2.5f, 0, 1, 2, -0.5f},
                             3,
                             0};
}  // namespace

TEST(ReduceSum, AttributeAxes) { CheckReduceAttributeAxes(kSumCase); }
TEST(ReduceSum, InputAxes) { CheckReduceInputAxes(kSumCase); }
TEST(ReduceSum, EmptySet) { CheckReduceEmptySet(kSumCase); }
TEST(ReduceSum, NoopWithEmptyAxes) { CheckReduceNoopWithEmptyAxes(kSumCase); }
TEST(ReduceSum, BadAxisIsAnError) { CheckReduceBadAxis(kSumCase); }

TEST(ReduceSum, Int64) {
  OpTest t("ReduceSum", 13);
  t.AddInput<int64_t>("X", {2, 3}, {1, -2, 3, 4, 5, -6});
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<int64_t>("Y", {2}, {2, 3});
  t.Run();
}

}  // namespace onyx::test
