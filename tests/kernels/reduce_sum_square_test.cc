#include <cmath>

#include "kernels/reduce_test_util.h"

namespace onyx::test {

namespace {
const ReduceCase kSumSquareCase = {"ReduceSumSquare",
                                   17,
                                   18,
                                   {2.6875f, 2.1875f, 3.1875f, 2.1875f, 4.6875f, 4.6875f, 2.6875f, 2.1875f},
                                   {9, 9, 6.5f},
                                   {2.25f, 6.75f, 1.25f, 6.75f, 2.25f, 5.25f},
                                   24.5f,
                                   0};
}  // namespace

TEST(ReduceSumSquare, AttributeAxes) { CheckReduceAttributeAxes(kSumSquareCase); }
TEST(ReduceSumSquare, InputAxes) { CheckReduceInputAxes(kSumSquareCase); }
TEST(ReduceSumSquare, EmptySet) { CheckReduceEmptySet(kSumSquareCase); }
TEST(ReduceSumSquare, NoopWithEmptyAxes) { CheckReduceNoopWithEmptyAxes(kSumSquareCase); }
TEST(ReduceSumSquare, BadAxisIsAnError) { CheckReduceBadAxis(kSumSquareCase); }

TEST(ReduceSumSquare, Int64) {
  OpTest t("ReduceSumSquare", 18);
  t.AddInput<int64_t>("X", {2, 3}, {1, -2, 3, 4, 5, -6});
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<int64_t>("Y", {2}, {14, 77});
  t.Run();
}

}  // namespace onyx::test
