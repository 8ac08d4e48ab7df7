// PropagateStrides: when every reader of a tensor is a 1x1 convolution with stride s, the nodes that make it make
// only every s-th pixel (a stride-1 convolution gets stride s, element-wise nodes shrink, an operand others read too
// is subsampled by a 1x1 AveragePool) and the readers run at stride 1. Outputs equal the unoptimized graph's, odd
// sizes and symbolic ones included; near misses are left alone.
#include <gtest/gtest.h>

#include <random>

#include "unit/optimizer_test_util.h"

namespace onyx {
namespace {

using test::AddFloatInit;
using test::AddNode;
using test::BaseModel;
using test::ExpectSameOutputsOn;
using test::Make;
using test::OpCounts;
using test::SetIntsAttr;
using test::SetTensorType;

struct Options {
  bool symbolic = false;            // x is [N, C, H, W] with named dims
  bool v_is_output = false;         // the strided readers' input is also a graph output
  bool reader_3x3 = false;          // one reader is a 3x3 convolution (not a 1x1)
  int64_t stride = 2;
};

constexpr int64_t kC = 16;

proto::NodeProto* Conv(proto::GraphProto* g, std::mt19937& rng, const std::string& x, const std::string& y,
                       int64_t out_c, int64_t k, int64_t stride, const std::string& w) {
  AddFloatInit(g, w, {out_c, kC, k, k}, rng, -0.3f, 0.3f);
  AddFloatInit(g, w + "_b", {out_c}, rng);
  auto* n = AddNode(g, "Conv", {x, w, w + "_b"}, {y}, w + "_conv");
  SetIntsAttr(n, "kernel_shape", {k, k});
  SetIntsAttr(n, "strides", {stride, stride});
  const int64_t p = k / 2;
  SetIntsAttr(n, "pads", {p, p, p, p});
  return n;
}

// A Caffe-style ResNet stage transition: the last block (1x1, 3x3, 1x1, residual sum, Relu) at full resolution,
// read only by the next stage's two stride-2 1x1 convolutions (shortcut and first branch).
proto::ModelProto Transition(const Options& o) {
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  std::mt19937 rng(5);
  if (o.symbolic) {
    SetTensorType(g->add_input(), "x", 1, {-1, kC, -1, -1}, {"N", "", "H", "W"});
  } else {
    SetTensorType(g->add_input(), "x", 1, {2, kC, 9, 7});
  }
  Conv(g, rng, "x", "a", kC, 1, 1, "wa");
  AddNode(g, "Relu", {"a"}, {"block_in"});
  Conv(g, rng, "block_in", "b", kC, 1, 1, "wb");
  AddNode(g, "Relu", {"b"}, {"b_r"});
  Conv(g, rng, "b_r", "c", kC, 3, 1, "wc");
  AddNode(g, "Relu", {"c"}, {"c_r"});
  Conv(g, rng, "c_r", "d", kC, 1, 1, "wd");
  AddNode(g, "Add", {"d", "block_in"}, {"sum"});
  AddNode(g, "Relu", {"sum"}, {"v"});
  Conv(g, rng, "v", "shortcut", 2 * kC, 1, o.stride, "ws");
  Conv(g, rng, "v", "branch", kC, o.reader_3x3 ? 3 : 1, o.stride, "wr");
  for (const char* out : {"shortcut", "branch"}) {
    auto* vi = g->add_output();
    vi->set_name(out);
    vi->mutable_type()->mutable_tensor_type()->set_elem_type(1);
  }
  if (o.v_is_output) {
    auto* vi = g->add_output();
    vi->set_name("v");
    vi->mutable_type()->mutable_tensor_type()->set_elem_type(1);
  }
  return m;
}

// The strides attribute of the Conv made from node `name`.
std::vector<int64_t> StridesOf(const Session& s, const std::string& name) {
  for (const auto& n : s.model().graph->nodes()) {
    if (n->name() != name) continue;
    const ir::Attribute* a = n->attribute("strides");
    return a ? a->ints : std::vector<int64_t>{};
  }
  return {};
}

Value Input(int64_t h, int64_t w, uint32_t seed) { return Value(test::RandomFloats({2, kC, h, w}, seed)); }

TEST(PropagateStrides, StageTransitionComputesOnlyTheReadPixels) {
  for (const bool symbolic : {false, true}) {
    Options o;
    o.symbolic = symbolic;
    auto plain = Make(Transition(o), OptimizationLevel::kDisabled);
    auto basic = Make(Transition(o), OptimizationLevel::kBasic);
    ASSERT_TRUE(plain && basic);
    // The 3x3 convolution takes the stride; the 1x1 between it and the sum shrinks with its input; the block's
    // input, read by the first 1x1 too, is subsampled for the sum; the readers run at stride 1.
    EXPECT_EQ(StridesOf(*basic, "wc_conv"), (std::vector<int64_t>{2, 2})) << "symbolic " << symbolic;
    EXPECT_EQ(StridesOf(*basic, "wd_conv"), (std::vector<int64_t>{1, 1}));
    EXPECT_EQ(StridesOf(*basic, "ws_conv"), (std::vector<int64_t>{1, 1}));
    EXPECT_EQ(StridesOf(*basic, "wr_conv"), (std::vector<int64_t>{1, 1}));
    EXPECT_EQ(OpCounts(*basic)["AveragePool"], 1);
    for (OptimizationLevel level : {OptimizationLevel::kBasic, OptimizationLevel::kExtended, OptimizationLevel::kAll}) {
      auto s = Make(Transition(o), level);
      ASSERT_TRUE(s);
      // Odd and even sizes: ceil(H / 2) pixels either way.
      for (auto [h, w] : {std::pair<int64_t, int64_t>{9, 7}, {8, 10}}) {
        if (!symbolic && (h != 9 || w != 7)) continue;
        ExpectSameOutputsOn(*plain, *s, {{"x", Input(h, w, static_cast<uint32_t>(h * 31 + w))}});
      }
    }
  }
}

TEST(PropagateStrides, StrideThreeToo) {
  Options o;
  o.stride = 3;
  auto plain = Make(Transition(o), OptimizationLevel::kDisabled);
  auto s = Make(Transition(o), OptimizationLevel::kAll);
  ASSERT_TRUE(plain && s);
  ExpectSameOutputsOn(*plain, *s, {{"x", Input(9, 7, 4)}});
}

TEST(PropagateStrides, NearMissesAreLeftAlone) {
  Options output;  // the full-resolution tensor is itself a result
  output.v_is_output = true;
  Options mixed;  // one reader needs the neighbours of the read pixels
  mixed.reader_3x3 = true;
  for (const Options& o : {output, mixed}) {
    auto plain = Make(Transition(o), OptimizationLevel::kDisabled);
    auto s = Make(Transition(o), OptimizationLevel::kBasic);
    ASSERT_TRUE(plain && s);
    EXPECT_EQ(StridesOf(*s, "wc_conv"), (std::vector<int64_t>{1, 1}));
    EXPECT_EQ(StridesOf(*s, "ws_conv"), (std::vector<int64_t>{2, 2}));
    EXPECT_EQ(OpCounts(*s)["AveragePool"], 0);
    ExpectSameOutputsOn(*plain, *s, {{"x", Input(9, 7, 5)}});
  }
}

}  // namespace
}  // namespace onyx
