#include <algorithm>
#include <cmath>
#include <functional>

#include "kernels/op_test.h"

namespace onyx::test {

namespace {

// Inputs shared by the tests: seq 3, batch 2, input 3, hidden 2 (values drawn
// once, rounded to 2 digits).
const std::vector<float> kX = {0.27f, -0.46f, -0.92f, -0.97f, 0.63f,  0.83f, 0.21f,  0.46f, 0.09f,
                               0.87f, 0.63f,  -0.99f, 0.71f,  -0.93f, 0.46f, -0.65f, 0.73f, 0.08f};
const std::vector<float> kW = {-0.4f, -0.15f, -0.94f, -0.75f, 0.34f, 0.29f,  0.23f,  -0.23f,
                               0.99f, 0.96f,  0.37f,  0.3f,   0.38f, -0.22f, -0.73f, 0.44f,
                               0.05f, -0.38f, -0.03f, 0.78f,  0.87f, -0.28f, 0.14f,  -0.36f};
const std::vector<float> kR = {0.19f, -0.32f, -0.22f, 0.78f,  -0.55f, 0.25f, -0.83f, 0.67f,
                               0.57f, -0.52f, 0.75f,  -0.88f, -0.33f, -0.7f, -0.1f,  0.59f};
const std::vector<float> kB = {-0.54f, -0.9f, -0.19f, -0.6f,  -0.82f, 0.16f, -0.4f,  0.34f,
                               -0.6f,  0.88f, -0.27f, -0.79f, 0.26f,  0.85f, -0.12f, 0.91f};
const std::vector<float> kH0 = {0.0f, -0.15f, 0.24f, 0.99f};
const std::vector<float> kC0 = {0.9f, -0.08f, 0.52f, -0.01f};
const std::vector<float> kP = {0.06f, 0.57f, -0.17f, 0.47f, 0.42f, 0.86f};

float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// Plain single-direction LSTM (layout 0) used to check the options the
// published reference lacks. Gate functions f, g, h are passed in; `lens`
// limits each batch entry's sequence.
struct RefLstm {
  int64_t seq = 3, batch = 2, input = 3, hidden = 2;
  bool reverse = false, input_forget = false;
  float clip = 0;
  std::function<float(float)> f = Sigmoid, g = [](float v) { return std::tanh(v); },
                              h = [](float v) { return std::tanh(v); };
  std::vector<int64_t> lens;

  // Returns Y [seq, 1, batch, H], then Y_h and Y_c [1, batch, H].
  std::vector<std::vector<float>> Run(const std::vector<float>& x, const std::vector<float>& w,
                                      const std::vector<float>& r, const std::vector<float>& b) const {
    const int64_t H = hidden;
    std::vector<float> y(static_cast<size_t>(seq * batch * H), 0.0f), hs(static_cast<size_t>(batch * H), 0.0f),
        cs(static_cast<size_t>(batch * H), 0.0f);
    auto cl = [&](float v) { return clip > 0 ? std::max(-clip, std::min(clip, v)) : v; };
    for (int64_t bi = 0; bi < batch; ++bi) {
      const int64_t len = lens.empty() ? seq : lens[bi];
      for (int64_t s = 0; s < len; ++s) {
        const int64_t t = reverse ? len - 1 - s : s;
        float pre[8];
        for (int64_t gi = 0; gi < 4 * H; ++gi) {
          float v = b[gi] + b[4 * H + gi];
          for (int64_t k = 0; k < input; ++k) v += x[(t * batch + bi) * input + k] * w[gi * input + k];
          for (int64_t k = 0; k < H; ++k) v += hs[bi * H + k] * r[gi * H + k];
          pre[gi] = v;
        }
        for (int64_t j = 0; j < H; ++j) {
          const float i = f(cl(pre[j]));
          const float fg = input_forget ? 1 - i : f(cl(pre[2 * H + j]));
          cs[bi * H + j] = fg * cs[bi * H + j] + i * g(cl(pre[3 * H + j]));
        }
        for (int64_t j = 0; j < H; ++j) {
          const float o = f(cl(pre[H + j]));
          hs[bi * H + j] = o * h(cs[bi * H + j]);
          y[(t * batch + bi) * H + j] = hs[bi * H + j];
        }
      }
    }
    return {y, hs, cs};
  }
};

OpTest MakeLstm(int opset = 22) {
  OpTest t("LSTM", opset);
  t.AddInput<float>("X", {3, 2, 3}, kX);
  t.AddInput<float>("W", {1, 8, 3}, kW);
  t.AddInput<float>("R", {1, 8, 2}, kR);
  t.AddAttr("hidden_size", int64_t{2});
  return t;
}

}  // namespace

// Expected values from onnx.reference (which supports this configuration).
TEST(LSTM, ForwardWithEveryOptionalInput) {
  OpTest t = MakeLstm();
  t.AddInput<float>("B", {1, 16}, kB);
  t.AddMissingInput();
  t.AddInput<float>("initial_h", {1, 2, 2}, kH0);
  t.AddInput<float>("initial_c", {1, 2, 2}, kC0);
  t.AddInput<float>("P", {1, 6}, kP);
  t.AddOutput<float>("Y", {3, 1, 2, 2},
                     {0.04405137f, 0.03432051f, 0.03408709f, 0.1835671f, 0.01897952f, 0.1786711f, -0.0461765f,
                      0.4195553f, -0.05560194f, 0.2616829f, -0.0280269f, 0.3363211f});
  t.AddOutput<float>("Y_h", {1, 2, 2}, {-0.05560194f, 0.2616829f, -0.0280269f, 0.3363211f});
  t.Run();
}

TEST(LSTM, ForwardMinimalOnlyYh) {
  OpTest t = MakeLstm(7);
  t.AddMissingOutput();
  t.AddOutput<float>("Y_h", {1, 2, 2}, {-0.1095637f, -0.0812832f, 0.1166838f, 0.0997147f});
  t.Run();
}

TEST(LSTM, ReferenceMatchesPublishedValues) {
  RefLstm ref;
  auto out = ref.Run(kX, kW, kR, std::vector<float>(16, 0.0f));
  const std::vector<float> expected = {-0.1095637f, -0.0812832f, 0.1166838f, 0.0997147f};
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(out[1][i], expected[i], 1e-5);
}

TEST(LSTM, ActivationsWithAlphaBeta) {
  RefLstm ref;
  ref.f = [](float v) { return std::max(0.0f, std::min(1.0f, 0.3f * v + 0.4f)); };  // HardSigmoid(0.3, 0.4)
  ref.g = [](float v) { return v >= 0 ? v : 0.2f * v; };                            // LeakyRelu(0.2)
  ref.h = [](float v) { return v / (1 + std::fabs(v)); };                           // Softsign
  auto out = ref.Run(kX, kW, kR, kB);
  OpTest t = MakeLstm();
  t.AddInput<float>("B", {1, 16}, kB);
  t.AddAttr("activations", std::vector<std::string>{"HardSigmoid", "LeakyRelu", "Softsign"});
  t.AddAttr("activation_alpha", std::vector<float>{0.3f, 0.2f});
  t.AddAttr("activation_beta", std::vector<float>{0.4f});
  t.AddOutput<float>("Y", {3, 1, 2, 2}, out[0]);
  t.AddOutput<float>("Y_h", {1, 2, 2}, out[1]);
  t.AddOutput<float>("Y_c", {1, 2, 2}, out[2]);
  t.Run();
}

TEST(LSTM, ClipAndInputForget) {
  RefLstm ref;
  ref.clip = 0.3f;
  ref.input_forget = true;
  auto out = ref.Run(kX, kW, kR, kB);
  OpTest t = MakeLstm(14);
  t.AddInput<float>("B", {1, 16}, kB);
  t.AddAttr("clip", 0.3f);
  t.AddAttr("input_forget", int64_t{1});
  t.AddOutput<float>("Y", {3, 1, 2, 2}, out[0]);
  t.AddMissingOutput();
  t.AddOutput<float>("Y_c", {1, 2, 2}, out[2]);
  t.Run();
}

TEST(LSTM, ReverseWithSequenceLengths) {
  RefLstm ref;
  ref.reverse = true;
  ref.lens = {2, 3};
  auto out = ref.Run(kX, kW, kR, kB);
  OpTest t = MakeLstm();
  t.AddInput<float>("B", {1, 16}, kB);
  t.AddInput<int32_t>("sequence_lens", {2}, {2, 3});
  t.AddAttr("direction", std::string("reverse"));
  t.AddOutput<float>("Y", {3, 1, 2, 2}, out[0]);
  t.AddOutput<float>("Y_h", {1, 2, 2}, out[1]);
  t.AddOutput<float>("Y_c", {1, 2, 2}, out[2]);
  t.Run();
}

TEST(LSTM, BidirectionalBatchMajorLayout) {
  // Direction 0 uses kW/kR/kB forward, direction 1 the same weights in reverse.
  RefLstm fwd, bwd;
  bwd.reverse = true;
  auto of = fwd.Run(kX, kW, kR, kB), ob = bwd.Run(kX, kW, kR, kB);
  // Layout 1: X [batch, seq, input]; Y [batch, seq, dirs, H]; Y_h [batch, dirs,
  // H].
  std::vector<float> x1(18), y1(24), yh1(8);
  for (int s = 0; s < 3; ++s)
    for (int b = 0; b < 2; ++b)
      for (int k = 0; k < 3; ++k) x1[(b * 3 + s) * 3 + k] = kX[(s * 2 + b) * 3 + k];
  for (int s = 0; s < 3; ++s)
    for (int b = 0; b < 2; ++b)
      for (int j = 0; j < 2; ++j) {
        y1[((b * 3 + s) * 2 + 0) * 2 + j] = of[0][(s * 2 + b) * 2 + j];
        y1[((b * 3 + s) * 2 + 1) * 2 + j] = ob[0][(s * 2 + b) * 2 + j];
      }
  for (int b = 0; b < 2; ++b)
    for (int j = 0; j < 2; ++j) {
      yh1[(b * 2 + 0) * 2 + j] = of[1][b * 2 + j];
      yh1[(b * 2 + 1) * 2 + j] = ob[1][b * 2 + j];
    }
  std::vector<float> w2 = kW, r2 = kR, b2 = kB;
  w2.insert(w2.end(), kW.begin(), kW.end());
  r2.insert(r2.end(), kR.begin(), kR.end());
  b2.insert(b2.end(), kB.begin(), kB.end());
  OpTest t("LSTM", 14);
  t.AddInput<float>("X", {2, 3, 3}, x1);
  t.AddInput<float>("W", {2, 8, 3}, w2);
  t.AddInput<float>("R", {2, 8, 2}, r2);
  t.AddInput<float>("B", {2, 16}, b2);
  t.AddAttr("direction", std::string("bidirectional"));
  t.AddAttr("layout", int64_t{1});
  t.AddOutput<float>("Y", {2, 3, 2, 2}, y1);
  t.AddOutput<float>("Y_h", {2, 2, 2}, yh1);
  t.Run();
}

TEST(LSTM, DoubleMatchesFloat) {
  RefLstm ref;
  auto out = ref.Run(kX, kW, kR, kB);
  OpTest t("LSTM", 22);
  t.AddInput<double>("X", {3, 2, 3}, std::vector<double>(kX.begin(), kX.end()));
  t.AddInput<double>("W", {1, 8, 3}, std::vector<double>(kW.begin(), kW.end()));
  t.AddInput<double>("R", {1, 8, 2}, std::vector<double>(kR.begin(), kR.end()));
  t.AddInput<double>("B", {1, 16}, std::vector<double>(kB.begin(), kB.end()));
  t.AddOutput<double>("Y", {3, 1, 2, 2}, std::vector<double>(out[0].begin(), out[0].end()));
  t.Run();
}

TEST(LSTM, WrongWeightShapeIsAnError) {
  OpTest t("LSTM", 22);
  t.AddInput<float>("X", {3, 2, 3}, kX);
  t.AddInput<float>("W", {1, 6, 3}, std::vector<float>(18, 0.1f));
  t.AddInput<float>("R", {1, 8, 2}, kR);
  t.AddOutputUnchecked("Y");
  t.RunExpectError("W");
}

TEST(LSTM, SequenceLengthOutOfRangeIsAnError) {
  OpTest t = MakeLstm();
  t.AddMissingInput();
  t.AddInput<int32_t>("sequence_lens", {2}, {4, 1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("sequence_lens");
}

TEST(LSTM, UnknownActivationIsAnError) {
  OpTest t = MakeLstm();
  t.AddAttr("activations", std::vector<std::string>{"Sigmoid", "Tanh", "Swish"});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("activation");
}

}  // namespace onyx::test
