#include <cmath>

#include "kernels/reduce_test_util.h"

namespace onyx::test {

namespace {
const ReduceCase kMaxCase = {"ReduceMax",
                             17,
                             18,
                             {0.75f, 1.25f, 1.75f, 0.75f, 1.75f, 1.75f, 0.75f, 1.25f},
                             {1.75f, 1.75f, 1.75f},
                             {0.25f, 1.75f, 0.75f, 1.75f, 1.25f, 1.75f},
                             1.75f,
                             -INFINITY};
}  // namespace

TEST(ReduceMax, AttributeAxes) { CheckReduceAttributeAxes(kMaxCase); }
TEST(ReduceMax, InputAxes) { CheckReduceInputAxes(kMaxCase); }
TEST(ReduceMax, EmptySet) { CheckReduceEmptySet(kMaxCase); }
TEST(ReduceMax, NoopWithEmptyAxes) { CheckReduceNoopWithEmptyAxes(kMaxCase); }
TEST(ReduceMax, BadAxisIsAnError) { CheckReduceBadAxis(kMaxCase); }

TEST(ReduceMax, Int64) {
  OpTest t("ReduceMax", 18);
  t.AddInput<int64_t>("X", {2, 3}, {1, -2, 3, 4, 5, -6});
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<int64_t>("Y", {2}, {3, 5});
  t.Run();
}

TEST(ReduceMax, Bool) {
  OpTest t("ReduceMax", 20);
  t.AddInput<bool>("X", {2, 2}, {true, false, false, false});
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<bool>("Y", {2}, {true, false});
  t.Run();
}

}  // namespace onyx::test
