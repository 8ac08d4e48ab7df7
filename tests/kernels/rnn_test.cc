#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(RNN, ForwardTanhWithBiasAndInitialState) {
  // hidden 1, input 1: h_t = tanh(0.5 x_t + 0.25 h_{t-1} + 0.1 + 0.2).
  const float h0 = 0.4f;
  const float h1 = std::tanh(0.5f * 1 + 0.25f * h0 + 0.3f), h2 = std::tanh(0.5f * -2 + 0.25f * h1 + 0.3f);
  OpTest t("RNN", 14);
  t.AddInput<float>("X", {2, 1, 1}, {1, -2});
  t.AddInput<float>("W", {1, 1, 1}, {0.5f});
  t.AddInput<float>("R", {1, 1, 1}, {0.25f});
  t.AddInput<float>("B", {1, 2}, {0.1f, 0.2f});
  t.AddMissingInput();
  t.AddInput<float>("initial_h", {1, 1, 1}, {h0});
  t.AddAttr("hidden_size", int64_t{1});
  t.AddOutput<float>("Y", {2, 1, 1, 1}, {h1, h2});
  t.AddOutput<float>("Y_h", {1, 1, 1}, {h2});
  t.Run();
}

TEST(RNN, ReverseReluWithSequenceLengths) {
  // Batch 0 runs 2 steps backwards, batch 1 one step; steps past a batch's
  // length stay zero.
  OpTest t("RNN", 7);
  t.AddInput<float>("X", {2, 2, 1}, {1, 2, 3, 4});
  t.AddInput<float>("W", {1, 1, 1}, {1});
  t.AddInput<float>("R", {1, 1, 1}, {1});
  t.AddMissingInput();
  t.AddInput<int32_t>("sequence_lens", {2}, {2, 1});
  t.AddAttr("direction", std::string("reverse"));
  t.AddAttr("activations", std::vector<std::string>{"Relu"});
  t.AddOutput<float>("Y", {2, 1, 2, 1}, {4, 2, 3, 0});
  t.AddOutput<float>("Y_h", {1, 2, 1}, {4, 2});
  t.Run();
}

TEST(RNN, BadDirectionIsAnError) {
  OpTest t("RNN", 14);
  t.AddInput<float>("X", {1, 1, 1}, {1});
  t.AddInput<float>("W", {1, 1, 1}, {1});
  t.AddInput<float>("R", {1, 1, 1}, {1});
  t.AddAttr("direction", std::string("sideways"));
  t.AddOutputUnchecked("Y");
  t.RunExpectError("direction");
}

}  // namespace onyx::test
