#include <cmath>

#include "kernels/reduce_test_util.h"

namespace onyx::test {

namespace {
const ReduceCase kL2Case = {
    "ReduceL2",
    17,
    18,
    {1.63935959f, 1.47902f, 1.78535712f, 1.47902f, 2.16506362f, 2.16506362f, 1.63935959f, 1.47902f},
    {3, 3, 2.54950976f},
    {1.5f, 2.59807611f, 1.11803401f, 2.59807611f, 1.5f, 2.2912879f},
    4.94974756f,
    0};
}  // namespace

TEST(ReduceL2, AttributeAxes) { CheckReduceAttributeAxes(kL2Case); }
TEST(ReduceL2, InputAxes) { CheckReduceInputAxes(kL2Case); }
TEST(ReduceL2, EmptySet) { CheckReduceEmptySet(kL2Case); }
TEST(ReduceL2, NoopWithEmptyAxes) { CheckReduceNoopWithEmptyAxes(kL2Case); }
TEST(ReduceL2, BadAxisIsAnError) { CheckReduceBadAxis(kL2Case); }

}  // namespace onyx::test
