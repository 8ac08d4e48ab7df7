#include <cmath>

#include "kernels/reduce_test_util.h"

namespace onyx::test {

namespace {
const ReduceCase kLogSumExpCase = {
    "ReduceLogSumExp",
    17,
    18,
    {1.05635571f, 1.55635571f, 2.05635571f, 1.30495691f, 2.30495691f, 1.99131131f, 1.05635571f, 1.55635571f},
    {2.55143642f, 2.96106935f, 2.48026824f},
    {1.03733861f, 2.45517325f, 1.53733861f, 2.30296683f, 2.03733873f, 1.98681557f},
    3.78620124f,
    -INFINITY};
}  // namespace

TEST(ReduceLogSumExp, AttributeAxes) { CheckReduceAttributeAxes(kLogSumExpCase); }
TEST(ReduceLogSumExp, InputAxes) { CheckReduceInputAxes(kLogSumExpCase); }
TEST(ReduceLogSumExp, EmptySet) { CheckReduceEmptySet(kLogSumExpCase); }
TEST(ReduceLogSumExp, NoopWithEmptyAxes) { CheckReduceNoopWithEmptyAxes(kLogSumExpCase); }
TEST(ReduceLogSumExp, BadAxisIsAnError) { CheckReduceBadAxis(kLogSumExpCase); }

}  // namespace onyx::test
