// FuseNchwcConvDepthwise (level all): a blocked 1x1 convolution read only by a depthwise one becomes
// com.onyx:NchwcConvDepthwise, whose outputs match the unoptimized graph's on 1 to 3 threads, with band boundaries
// inside the image (tall inputs), channel counts that leave padding lanes, strides 1 and 2, pads, a residual and
// activations on both; through the AVX2 fallback as well; with weights a run feeds; and not where the expanded tensor
// has another reader.
#include <gtest/gtest.h>

#include "ep/cpu/kernels/nchwc/nchwc_util.h"
#include "kernels/nchwc_test_util.h"
#include "unit/optimizer_test_util.h"

namespace onyx {
namespace {

using test::AddFloatInit;
using test::AddNode;
using test::BaseModel;
using test::Make;
using test::OpCounts;
using test::SetIntAttr;
using test::SetIntsAttr;
using test::SetTensorType;

struct Case {
  int64_t n, cin, cmid, hw, k, s, pad;
  const char* expand_act;  // activation after the 1x1 ("" none)
  bool residual;           // Y = Relu(depthwise + x0) (needs cin == cmid, stride 1, same size)
};

int64_t OutSize(const Case& c) { return (c.hw + 2 * c.pad - c.k) / c.s + 1; }

// X -> Conv 1x1 (cin -> cin, so the expansion reads a blocked tensor) -> x0 -> Conv 1x1 (cin -> cmid) -> activation
// -> depthwise k x k -> [+ x0] -> Relu -> Y. With `as_inputs`, the expansion's and the depthwise's weights are also
// graph inputs (overridable initializers).
proto::ModelProto PairModel(const Case& c, bool as_inputs, bool second_reader = false) {
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  std::mt19937 rng(static_cast<uint32_t>(c.cmid * 131 + c.hw));
  SetTensorType(g->add_input(), "X", 1, {c.n, c.cin, c.hw, c.hw});
  if (as_inputs) {
    SetTensorType(g->add_input(), "W1", 1, {c.cmid, c.cin, 1, 1});
    SetTensorType(g->add_input(), "W2", 1, {c.cmid, 1, c.k, c.k});
  }
  SetTensorType(g->add_output(), "Y", 1, {c.n, c.cmid, OutSize(c), OutSize(c)});
  AddFloatInit(g, "W0", {c.cin, c.cin, 1, 1}, rng, -0.3f, 0.3f);
  AddFloatInit(g, "W1", {c.cmid, c.cin, 1, 1}, rng, -0.3f, 0.3f);
  AddFloatInit(g, "B1", {c.cmid}, rng);
  AddFloatInit(g, "W2", {c.cmid, 1, c.k, c.k}, rng, -0.3f, 0.3f);
  AddFloatInit(g, "B2", {c.cmid}, rng);
  AddNode(g, "Conv", {"X", "W0"}, {"x0"});
  AddNode(g, "Conv", {"x0", "W1", "B1"}, {"e"});
  std::string expanded = "e";
  if (*c.expand_act) {
    AddNode(g, c.expand_act, {"e"}, {"ea"});
    expanded = "ea";
  }
  auto* dw = AddNode(g, "Conv", {expanded, "W2", "B2"}, {"d"});
  SetIntAttr(dw, "group", c.cmid);
  SetIntsAttr(dw, "pads", {c.pad, c.pad, c.pad, c.pad});
  SetIntsAttr(dw, "strides", {c.s, c.s});
  std::string last = "d";
  if (c.residual) {
    AddNode(g, "Add", {"d", "x0"}, {"s"});
    last = "s";
  }
  if (second_reader) {
    g->add_output()->set_name(expanded);  // the expanded tensor is also returned
  }
  AddNode(g, "Relu", {last}, {"Y"});
  return m;
}

std::vector<Value> RunOne(Session& s, const std::vector<std::pair<std::string, Value>>& feeds) {
  std::vector<Value> out;
  Status st = s.Run(feeds, {}, &out);
  EXPECT_TRUE(st.ok()) << st.message();
  return out;
}

const Case kCases[] = {
    {1, 16, 96, 40, 3, 2, 1, "Relu", false},       // CenterFace's first expansion, smaller
    {2, 24, 36, 23, 3, 1, 1, "HardSwish", false},  // padding lanes (36 channels), batch 2
    {1, 8, 20, 17, 5, 2, 2, "", false},            // 5x5, no activation between
    {1, 16, 48, 9, 3, 1, 0, "Relu", false},        // no pads
    {1, 8, 96, 200, 3, 2, 1, "Relu", false},       // many bands of stride 2
    {1, 8, 64, 150, 3, 1, 1, "Relu", false},       // many bands of stride 1 (rows kept from band to band)
    {1, 32, 32, 30, 3, 1, 1, "Relu", true},        // a residual on the depthwise output
};

TEST(OptimizerNchwcDepthwise, FusedPairMatchesUnoptimized) {
  ONYX_SKIP_WITHOUT_NCHWC();
  const bool fuses = cpu::nchwc::UseAvx512();
  for (const Case& c : kCases) {
    SCOPED_TRACE("cin " + std::to_string(c.cin) + " cmid " + std::to_string(c.cmid) + " " + std::to_string(c.hw) + "x" +
                 std::to_string(c.hw) + " k" + std::to_string(c.k) + " s" + std::to_string(c.s));
    const proto::ModelProto m = PairModel(c, false);
    auto ref = Make(m, OptimizationLevel::kDisabled);
    ASSERT_TRUE(ref);
    const Tensor x = test::nchwc::Random({c.n, c.cin, c.hw, c.hw}, 3);
    const std::vector<Value> expected = RunOne(*ref, {{"X", Value(x)}});
    ASSERT_EQ(expected.size(), 1u);
    for (int threads : {1, 2, 3}) {
      auto all = Make(m, OptimizationLevel::kAll, threads);
      ASSERT_TRUE(all);
      EXPECT_EQ(OpCounts(*all)["NchwcConvDepthwise"], fuses ? 1 : 0) << threads << " threads";
      const std::vector<Value> actual = RunOne(*all, {{"X", Value(x)}});
      ASSERT_EQ(actual.size(), 1u);
      EXPECT_EQ(CompareValues(expected[0], actual[0], {1e-4, 1e-5}), "") << threads << " threads";
      if (threads == 2 && fuses) {
        // A model optimized where AVX-512 runs, run where it does not: the kernel's AVX2 path.
        cpu::nchwc::SetAvx512Enabled(false);
        const std::vector<Value> avx2 = RunOne(*all, {{"X", Value(x)}});
        cpu::nchwc::SetAvx512Enabled(true);
        ASSERT_EQ(avx2.size(), 1u);
        EXPECT_EQ(CompareValues(expected[0], avx2[0], {1e-4, 1e-5}), "") << "AVX2 path";
      }
    }
  }
}

TEST(OptimizerNchwcDepthwise, FedWeightsArePackedForTheRun) {
  ONYX_SKIP_WITHOUT_NCHWC();
  const Case c{1, 16, 40, 20, 3, 2, 1, "Relu", false};
  const proto::ModelProto m = PairModel(c, true);
  auto ref = Make(m, OptimizationLevel::kDisabled);
  auto all = Make(m, OptimizationLevel::kAll);
  ASSERT_TRUE(ref && all);
  EXPECT_EQ(OpCounts(*all)["NchwcConvDepthwise"], cpu::nchwc::UseAvx512() ? 1 : 0);
  const Tensor x = test::nchwc::Random({1, 16, 20, 20}, 5);
  const Tensor w2 = test::nchwc::Random({40, 1, 3, 3}, 6);
  const std::vector<std::pair<std::string, Value>> fed = {{"X", Value(x)}, {"W2", Value(w2)}};
  for (int run = 0; run < 3; ++run) {  // the initial weights, fed ones, the initial ones again
    const auto feeds = run == 1 ? fed : std::vector<std::pair<std::string, Value>>{fed[0]};
    const std::vector<Value> a = RunOne(*ref, feeds), b = RunOne(*all, feeds);
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(CompareValues(a[0], b[0], {1e-4, 1e-5}), "") << "run " << run;
  }
}

TEST(OptimizerNchwcDepthwise, ExpandedTensorWithAnotherReaderIsNotFused) {
  ONYX_SKIP_WITHOUT_NCHWC();
  auto all =
      Make(PairModel({1, 16, 48, 12, 3, 1, 1, "Relu", false}, false, /*second_reader=*/true), OptimizationLevel::kAll);
  ASSERT_TRUE(all);
  auto counts = OpCounts(*all);
  EXPECT_EQ(counts["NchwcConvDepthwise"], 0);
  EXPECT_EQ(counts["NchwcConv"], 3);
}

// The kernel on its own (a model may name it): inputs of the wrong form are refused with errors naming them, and an
// input of one row with pads that reach past it (most taps in the padding) matches the two convolutions apart.
TEST(OptimizerNchwcDepthwise, KernelRefusesWrongInputsAndHandlesTinyImages) {
  ONYX_SKIP_WITHOUT_NCHWC();
  const Tensor w1 = cpu::nchwc::PackConvWeights(test::nchwc::Random({16, 8, 1, 1}, 1), 1).take();
  const Tensor w2 = cpu::nchwc::PackConvWeights(test::nchwc::Random({16, 1, 5, 5}, 2), 16).take();
  auto make = [&](const Tensor& x, const Tensor& wa, const Tensor& wb) {
    auto t = std::make_unique<test::OpTest>("NchwcConvDepthwise", 1, "com.onyx");
    t->AddInputValue("X", Value(x));
    t->AddInputValue("W1", Value(wa), true);
    t->AddMissingInput();
    t->AddInputValue("W2", Value(wb), true);
    t->AddAttr("pads", std::vector<int64_t>{2, 2, 2, 2});
    t->AddOutputUnchecked("Y");
    return t;
  };
  make(test::nchwc::Random({1, 2, 4, 4, 8}, 3), w1, w2)
      ->RunExpectError("must be a blocked float tensor [N, 1, H, W, 8]");
  make(test::nchwc::Random({1, 1, 4, 4, 8}, 3), w1, w1)->RunExpectError("must be a packed depthwise convolution");
  make(test::nchwc::Random({1, 1, 4, 4, 8}, 3), w2, w2)->RunExpectError("must be a packed 1x1 convolution");
  for (bool avx512 : {true, false}) {
    if (avx512 && !cpu::nchwc::UseAvx512()) continue;
    cpu::nchwc::SetAvx512Enabled(avx512);
    const Tensor x = test::nchwc::Random({1, 1, 1, 3, 8}, 4);
    auto fused = make(x, w1, w2)->RunAndGet();
    cpu::nchwc::SetAvx512Enabled(true);
    ASSERT_EQ(fused.size(), 1u);
    // The same through two NchwcConv nodes.
    test::OpTest e("NchwcConv", 1, "com.onyx");
    e.AddInputValue("X", Value(x));
    e.AddInputValue("W", Value(w1), true);
    e.AddOutputUnchecked("Y");
    auto mid = e.RunAndGet();
    ASSERT_EQ(mid.size(), 1u);
    test::OpTest d("NchwcConv", 1, "com.onyx");
    d.AddInputValue("X", mid[0]);
    d.AddInputValue("W", Value(w2), true);
    d.AddAttr("group", int64_t{16});
    d.AddAttr("pads", std::vector<int64_t>{2, 2, 2, 2});
    d.AddOutputUnchecked("Y");
    auto two = d.RunAndGet();
    ASSERT_EQ(two.size(), 1u);
    EXPECT_EQ(CompareValues(two[0], fused[0], {1e-5, 1e-5}), "") << (avx512 ? "AVX-512" : "AVX2");
    // W1 pair-packed, as the layout pass writes it where the AVX-512 tiles run: read as it is, or unpacked for AVX2.
    cpu::nchwc::SetAvx512Enabled(avx512);
    auto paired =
        make(x, cpu::nchwc::PackConvWeightsPairs(test::nchwc::Random({16, 8, 1, 1}, 1), 1).take(), w2)->RunAndGet();
    cpu::nchwc::SetAvx512Enabled(true);
    ASSERT_EQ(paired.size(), 1u);
    EXPECT_EQ(CompareValues(two[0], paired[0], {1e-5, 1e-5}), "") << (avx512 ? "AVX-512" : "AVX2") << " pairs";
  }
  // Pairs that do not hold W2's block count (3 blocks make 2 pairs; W2 has 2 blocks, one pair).
  make(test::nchwc::Random({1, 1, 4, 4, 8}, 3),
       cpu::nchwc::PackConvWeightsPairs(test::nchwc::Random({24, 8, 1, 1}, 1), 1).take(), w2)
      ->RunExpectError("in pairs");
}

}  // namespace
}  // namespace onyx
