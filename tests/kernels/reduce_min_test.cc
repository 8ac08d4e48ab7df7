#include <cmath>

#include "kernels/reduce_test_util.h"

namespace onyx::test {

namespace {
const ReduceCase kMinCase = {"ReduceMin",
                             17,
                             18,
                             {-1.25f, -0.75f, -0.25f, -1.25f, -0.25f, -1.25f, -1.25f, -0.75f},
                             {-1.25f, -1.25f, -1.25f},
                             {-1.25f, -1.25f, -0.75f, -1.25f, -0.25f, -1.25f},
                             -1.25f,
                             INFINITY};
}  // namespace

TEST(ReduceMin, AttributeAxes) { CheckReduceAttributeAxes(kMinCase); }
TEST(ReduceMin, InputAxes) { CheckReduceInputAxes(kMinCase); }
TEST(ReduceMin, EmptySet) { CheckReduceEmptySet(kMinCase); }
TEST(ReduceMin, NoopWithEmptyAxes) { CheckReduceNoopWithEmptyAxes(kMinCase); }
TEST(ReduceMin, BadAxisIsAnError) { CheckReduceBadAxis(kMinCase); }

TEST(ReduceMin, Int64) {
  OpTest t("ReduceMin", 18);
  t.AddInput<int64_t>("X", {2, 3}, {1, -2, 3, 4, 5, -6});
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<int64_t>("Y", {2}, {-2, -6});
  t.Run();
}

TEST(ReduceMin, Bool) {
  OpTest t("ReduceMin", 20);
  t.AddInput<bool>("X", {2, 2}, {true, false, false, false});
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<bool>("Y", {2}, {false, false});
  t.Run();
}

}  // namespace onyx::test
