#include <cmath>

#include "kernels/reduce_test_util.h"

namespace onyx::test {

namespace {
const ReduceCase kLogSumCase = {
    "ReduceLogSum",
    17,
    18,
    {1.01160097f, 0.810930192f, 0.810930192f, 0.810930192f, 1.17865503f, 1.17865503f, 1.01160097f, 0.810930192f},
    {2.01490307f, 2.01490307f, 1.79175949f},
    {0.91629076f, 1.60943794f, 0.693147182f, 1.60943794f, 0.91629076f, 1.38629436f},
    3.04452252f,
    -INFINITY,
    {1.25f, 0.75f, 0.25f, 0.25f, 0.75f, 1.25f, 1.75f, 1.25f, 0.75f, 0.25f, 0.25f, 0.75f,
     1.25f, 1.75f, 1.25f, 0.75f, 0.25f, 0.25f, 0.75f, 1.25f, 1.75f, 1.25f, 0.75f, 0.25f}};
}  // namespace

TEST(ReduceLogSum, AttributeAxes) { CheckReduceAttributeAxes(kLogSumCase); }
TEST(ReduceLogSum, InputAxes) { CheckReduceInputAxes(kLogSumCase); }
TEST(ReduceLogSum, EmptySet) { CheckReduceEmptySet(kLogSumCase); }
TEST(ReduceLogSum, NoopWithEmptyAxes) { CheckReduceNoopWithEmptyAxes(kLogSumCase); }
TEST(ReduceLogSum, BadAxisIsAnError) { CheckReduceBadAxis(kLogSumCase); }

}  // namespace onyx::test
