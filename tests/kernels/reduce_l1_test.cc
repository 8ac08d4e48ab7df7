#include <cmath>

#include "kernels/reduce_test_util.h"

namespace onyx::test {

namespace {
const ReduceCase kL1Case = {"ReduceL1",
                            17,
                            18,
                            {2.75f, 2.25f, 2.25f, 2.25f, 3.25f, 3.25f, 2.75f, 2.25f},
                            {7.5f, 7.5f, 6},
                            {2.5f, 5, 2, 5, 2.5f, 4},
                            21,
                            0};
}  // namespace

TEST(ReduceL1, AttributeAxes) { CheckReduceAttributeAxes(kL1Case); }
TEST(ReduceL1, InputAxes) { CheckReduceInputAxes(kL1Case); }
TEST(ReduceL1, EmptySet) { CheckReduceEmptySet(kL1Case); }
TEST(ReduceL1, NoopWithEmptyAxes) { CheckReduceNoopWithEmptyAxes(kL1Case); }
TEST(ReduceL1, BadAxisIsAnError) { CheckReduceBadAxis(kL1Case); }

TEST(ReduceL1, Int64) {
  OpTest t("ReduceL1", 18);
  t.AddInput<int64_t>("X", {2, 3}, {1, -2, 3, 4, 5, -6});
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<int64_t>("Y", {2}, {6, 15});
  t.Run();
}

}  // namespace onyx::test
