#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

namespace {
float Sig(float x) { return 1 / (1 + std::exp(-x)); }

// One step of a hidden-1 GRU with weights wz, wr, wh and recurrences rz, rr, rh
// (no bias).
float Step(float x, float h, bool linear_before_reset) {
  const float z = Sig(0.5f * x + 0.1f * h), r = Sig(-0.5f * x + 0.2f * h);
  const float hh = linear_before_reset ? std::tanh(1.0f * x + r * (0.3f * h)) : std::tanh(1.0f * x + 0.3f * (r * h));
  return (1 - z) * hh + z * h;
}
}  // namespace

TEST(GRU, ForwardBothResetOrders) {
  for (int lbr = 0; lbr < 2; ++lbr) {
    const float h1 = Step(1, 0.5f, lbr), h2 = Step(-1, h1, lbr);
    OpTest t("GRU", 14);
    t.AddInput<float>("X", {2, 1, 1}, {1, -1});
    t.AddInput<float>("W", {1, 3, 1}, {0.5f, -0.5f, 1});
    t.AddInput<float>("R", {1, 3, 1}, {0.1f, 0.2f, 0.3f});
    t.AddMissingInput();
    t.AddMissingInput();
    t.AddInput<float>("initial_h", {1, 1, 1}, {0.5f});
    t.AddAttr("linear_before_reset", int64_t{lbr});
    t.AddOutput<float>("Y", {2, 1, 1, 1}, {h1, h2});
    t.AddOutput<float>("Y_h", {1, 1, 1}, {h2});
    t.Run();
  }
}

TEST(GRU, WrongRecurrenceShapeIsAnError) {
  OpTest t("GRU", 14);
  t.AddInput<float>("X", {1, 1, 1}, {1});
  t.AddInput<float>("W", {1, 3, 1}, {1, 1, 1});
  t.AddInput<float>("R", {1, 2, 1}, {1, 1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("R");
}

}  // namespace onyx::test
