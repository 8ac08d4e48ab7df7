#include "kernels/op_test.h"

namespace onyx::test {

TEST(GroupNormalization, PerChannelScaleAtOpset21) {
  // Two groups of one channel each, two positions: {1,3} -> {-1,1}, {5,9} ->
  // {-1,1}.
  OpTest t("GroupNormalization", 21);
  t.AddInput<float>("X", {1, 2, 2}, {1, 3, 5, 9});
  t.AddInput<float>("scale", {2}, {2, 1});
  t.AddInput<float>("bias", {2}, {1, 0});
  t.AddAttr("num_groups", int64_t{2});
  t.AddAttr("epsilon", 0.0f);
  t.AddOutput<float>("Y", {1, 2, 2}, {-1, 3, -1, 1});
  t.Run();
}

TEST(GroupNormalization, IndivisibleChannelsIsAnError) {
  OpTest t("GroupNormalization", 21);
  t.AddInput<float>("X", {1, 3, 1}, {1, 2, 3});
  t.AddInput<float>("scale", {3}, {1, 1, 1});
  t.AddInput<float>("bias", {3}, {0, 0, 0});
  t.AddAttr("num_groups", int64_t{2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("num_groups");
}

}  // namespace onyx::test
