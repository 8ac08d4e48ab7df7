#include "kernels/op_test.h"

namespace onyx::test {

TEST(CausalConvWithState, SiluWithBiasAndPastState) {
  OpTest t("CausalConvWithState", 27);
  t.AddAttr("activation", std::string("silu"));
  t.AddInput<float>("input", {1, 2, 4}, {1, 2, 3, 4, -1, -2, -3, -4});
  t.AddInput<float>("weight", {2, 1, 2}, {0.5f, 1, -1, 2});
  t.AddInput<float>("bias", {2}, {0.1f, -0.1f});
  t.AddInput<float>("past_state", {1, 2, 1}, {10, 20});
  t.AddOutput<float>("output", {1, 2, 4},
                     {6.08635f, 2.42024f, 4.03316f, 5.57937f, 0.0f, -0.133632f, -0.0668402f, -0.030905f});
  t.AddOutput<float>("present_state", {1, 2, 1}, {4, -4});
  t.Run();
}

TEST(CausalConvWithState, BadWeightIsAnError) {
  OpTest t("CausalConvWithState", 27);
  t.AddInput<float>("input", {1, 2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("weight", {3, 1, 2}, {1, 1, 1, 1, 1, 1});
  t.AddOutput<float>("output", {1, 2, 2}, {0, 0, 0, 0});
  t.AddOutputUnchecked("present_state");
  t.RunExpectError("weight");
}

}  // namespace onyx::test
