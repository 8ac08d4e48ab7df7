#include <cmath>

#include "kernels/reduce_test_util.h"

namespace onyx::test {

namespace {
const ReduceCase kProdCase = {
    "ReduceProd",
    17,
    18,
    {0.703125f, 0.234375f, -0.109375f, -0.234375f, -0.546875f, -0.546875f, 0.703125f, 0.234375f},
    {-0.120162964f, 0.120162964f, -0.0144195557f},
    {-0.05859375f, -2.05078125f, 0.03515625f, 2.05078125f, -0.05859375f, -0.41015625f},
    0.000208205951f,
    1};
}  // namespace

TEST(ReduceProd, AttributeAxes) { CheckReduceAttributeAxes(kProdCase); }
TEST(ReduceProd, InputAxes) { CheckReduceInputAxes(kProdCase); }
TEST(ReduceProd, EmptySet) { CheckReduceEmptySet(kProdCase); }
TEST(ReduceProd, NoopWithEmptyAxes) { CheckReduceNoopWithEmptyAxes(kProdCase); }
TEST(ReduceProd, BadAxisIsAnError) { CheckReduceBadAxis(kProdCase); }

TEST(ReduceProd, Int64) {
  OpTest t("ReduceProd", 18);
  t.AddInput<int64_t>("X", {2, 3}, {1, -2, 3, 4, 5, -6});
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<int64_t>("Y", {2}, {-6, -120});
  t.Run();
}

}  // namespace onyx::test
