// com.onyx:NchwcConv against the standard Conv (and FusedConv for Z and activations) on many shapes, on the
// AVX-512 tiles (where the CPU has them) and on the AVX2 tiles.
#include <cmath>

#include "ep/cpu/ukernels/float_nchwc__avx2.h"
#include "kernels/nchwc_test_util.h"

namespace onyx::test::nchwc {
namespace {

struct ConvCase {
  std::string name;
  int64_t n = 1, c = 8, h = 9, w = 9, m = 16, kh = 3, kw = 3;
  std::vector<int64_t> strides = {1, 1}, pads = {0, 0, 0, 0}, dilations = {1, 1};
  int64_t group = 1;
  bool bias = true, z = false, nchw_input = false;
  std::string activation, auto_pad;
  std::vector<float> params;
};

void AddConvAttrs(OpTest& t, const ConvCase& k) {
  t.AddAttr("strides", k.strides);
  t.AddAttr("dilations", k.dilations);
  t.AddAttr("group", k.group);
  t.AddAttr("kernel_shape", std::vector<int64_t>{k.kh, k.kw});
  if (k.auto_pad.empty()) {
    t.AddAttr("pads", k.pads);
  } else {
    t.AddAttr("auto_pad", k.auto_pad);
  }
}

Tensor Reference(const ConvCase& k, const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& z) {
  const bool fused = k.z || !k.activation.empty();
  OpTest t(fused ? "FusedConv" : "Conv", fused ? 1 : 17, fused ? "com.onyx" : "");
  t.AddInputValue("X", Value(x));
  t.AddInputValue("W", Value(w));
  t.SetOptimizationLevel(OptimizationLevel::kDisabled);  // the standard kernel, not NchwcConv
  if (k.bias) {
    t.AddInputValue("B", Value(b));
  } else if (k.z) {
    t.AddMissingInput();
  }
  if (k.z) t.AddInputValue("Z", Value(z));
  AddConvAttrs(t, k);
  if (fused) {
    t.AddAttr("activation", k.activation);
    t.AddAttr("activation_params", k.params);
  }
  t.AddOutputUnchecked("Y");
  auto out = t.RunAndGet();
  return out.empty() ? Tensor() : out[0].tensor();
}

// How the test hands NchwcConv its weights: W [M, C/group, KH, KW] and B [M] fed at run time (the kernel packs
// them), as the layout pass leaves weights that are overridable graph inputs; constants packed 8 x 8 (what the pass
// writes for the AVX2 tiles); or constants pair-packed with out_blocks (what it writes for the AVX-512 tiles, which
// read them as they are, and which the AVX2 tiles unpack).
enum class Weights { kRaw, kPacked, kPairs };
const char* const kFormNames[] = {" raw weights", "", " pair-packed"};

Tensor RunNchwc(const ConvCase& k, const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& z,
                Weights form = Weights::kPacked) {
  OpTest t("NchwcConv", 1, "com.onyx");
  t.AddInputValue("X", Value(k.nchw_input ? x : Blocked(x)));
  const bool raw = form == Weights::kRaw;
  if (raw) {
    t.AddInputValue("W", Value(w));
  } else if (form == Weights::kPairs) {
    t.AddInputValue("W", Value(cpu::nchwc::PackConvWeightsPairs(w, k.group).take()), true);
    t.AddAttr("out_blocks", k.group * cpu::nchwc::BlockCount(k.m / k.group));
  } else {
    t.AddInputValue("W", Value(cpu::nchwc::PackConvWeights(w, k.group).take()), true);
  }
  if (k.bias && raw) {
    t.AddInputValue("B", Value(b));
  } else if (k.bias) {
    t.AddInputValue("B", Value(cpu::nchwc::PackConvBias(&b, k.m).take()), true);
  } else if (k.z) {
    t.AddMissingInput();
  }
  if (k.z) t.AddInputValue("Z", Value(Blocked(z)));
  AddConvAttrs(t, k);
  t.AddAttr("activation", k.activation);
  t.AddAttr("activation_params", k.params);
  t.AddOutputUnchecked("Y");
  auto out = t.RunAndGet();
  return out.empty() ? Tensor() : Unblocked(out[0].tensor(), k.m);
}

void Check(const ConvCase& k) {
  const Tensor x = Random({k.n, k.c, k.h, k.w}, 1);
  const Tensor w = Random({k.m, k.c / k.group, k.kh, k.kw}, 2, -0.5f, 0.5f);
  const Tensor b = Random({k.m}, 3);
  ConvCase plain = k;  // Z takes the shape of the plain convolution's output
  plain.z = false;
  plain.activation.clear();
  plain.params.clear();
  const Tensor expected_shape_probe = Reference(plain, x, w, b, Tensor());
  ASSERT_GT(expected_shape_probe.rank(), 0) << k.name;
  const Tensor z = Random(expected_shape_probe.shape(), 4);
  const Tensor expected = k.z || !k.activation.empty() ? Reference(k, x, w, b, z) : expected_shape_probe;
  const bool depthwise = k.group > 1 && k.group == k.c && k.group == k.m;
  for (bool avx512 : {true, false}) {
    for (Weights form : {Weights::kPacked, Weights::kRaw, Weights::kPairs}) {
      if (form == Weights::kPairs && depthwise) continue;  // depthwise weights have one packing only
      cpu::nchwc::SetAvx512Enabled(avx512);
      const Tensor actual = RunNchwc(k, x, w, b, z, form);
      cpu::nchwc::SetAvx512Enabled(true);
      ASSERT_EQ(actual.shape(), expected.shape()) << k.name;
      ExpectClose(expected, actual,
                  k.name + (avx512 ? " (avx512 if available)" : " (avx2)") + kFormNames[static_cast<int>(form)]);
    }
  }
}

ConvCase Case(std::string name) {
  ConvCase k;
  k.name = std::move(name);
  return k;
}

TEST(NchwcConv, Pointwise) {
  ONYX_SKIP_WITHOUT_NCHWC();
  for (int64_t c : {3, 8, 13, 32, 64}) {
    for (int64_t m : {8, 13, 24, 40, 64}) {
      ConvCase k = Case("1x1 c" + std::to_string(c) + " m" + std::to_string(m));
      k.c = c, k.m = m, k.kh = k.kw = 1, k.h = 7, k.w = 7;
      Check(k);
    }
  }
}

TEST(NchwcConv, PointwiseStride2NoBias) {
  ONYX_SKIP_WITHOUT_NCHWC();
  ConvCase k = Case("1x1 s2");
  k.c = 64, k.m = 128, k.kh = k.kw = 1, k.h = k.w = 14, k.strides = {2, 2}, k.bias = false;
  Check(k);
}

// Strided 1x1 convolutions with output rows narrower than a tile (14) gather their input into a compact plane
// first: batches, unequal strides, odd sizes, pads (gathered from the padded copy), an NCHW input, groups, and a
// residual with an activation on the result. Wider ones read the input in place (the last cases).
TEST(NchwcConv, PointwiseStridedGathered) {
  ONYX_SKIP_WITHOUT_NCHWC();
  ConvCase k = Case("1x1 s2 batch 2");
  k.n = 2, k.c = 24, k.m = 40, k.kh = k.kw = 1, k.h = 15, k.w = 11, k.strides = {2, 2};
  Check(k);
  ConvCase u = Case("1x1 s3x2 pads residual relu");
  u.c = 16, u.m = 24, u.kh = u.kw = 1, u.h = 13, u.w = 10, u.strides = {3, 2}, u.pads = {1, 0, 0, 1};
  u.z = true, u.activation = "Relu";
  Check(u);
  ConvCase n = Case("1x1 s2 from NCHW");
  n.c = 3, n.m = 16, n.kh = n.kw = 1, n.h = n.w = 9, n.strides = {2, 2}, n.nchw_input = true;
  Check(n);
  ConvCase g = Case("1x1 s2 group 2");
  g.c = 32, g.m = 48, g.group = 2, g.kh = g.kw = 1, g.h = g.w = 12, g.strides = {2, 2}, g.activation = "Sigmoid";
  Check(g);
  ConvCase w = Case("1x1 s2 in place batch 2 residual relu");
  w.n = 2, w.c = 24, w.m = 40, w.kh = w.kw = 1, w.h = 9, w.w = 31, w.strides = {2, 2}, w.z = true,
  w.activation = "Relu";
  Check(w);
  ConvCase v = Case("1x1 s3x2 in place pads");
  v.c = 16, v.m = 24, v.kh = v.kw = 1, v.h = 10, v.w = 29, v.strides = {3, 2}, v.pads = {1, 0, 0, 1};
  Check(v);
}

TEST(NchwcConv, Kernel3x3Padded) {
  ONYX_SKIP_WITHOUT_NCHWC();
  for (int64_t c : {8, 13, 32}) {
    ConvCase k = Case("3x3 c" + std::to_string(c));
    k.c = c, k.m = 64, k.pads = {1, 1, 1, 1}, k.h = 11, k.w = 10;
    Check(k);
  }
}

TEST(NchwcConv, Kernel5x5) {
  ONYX_SKIP_WITHOUT_NCHWC();
  ConvCase k = Case("5x5");
  k.c = 13, k.m = 8, k.kh = k.kw = 5, k.pads = {2, 2, 2, 2};
  Check(k);
}

TEST(NchwcConv, Kernel7x7Stride2FromNchw) {
  ONYX_SKIP_WITHOUT_NCHWC();
  for (bool nchw : {true, false}) {
    ConvCase k = Case(nchw ? "7x7 s2 nchw input" : "7x7 s2 blocked input");
    k.c = 3, k.m = 64, k.kh = k.kw = 7, k.strides = {2, 2}, k.pads = {3, 3, 3, 3}, k.h = k.w = 23, k.nchw_input = nchw;
    Check(k);
  }
}

TEST(NchwcConv, AsymmetricPads) {
  ONYX_SKIP_WITHOUT_NCHWC();
  ConvCase k = Case("asymmetric pads");
  k.c = 16, k.m = 24, k.pads = {0, 1, 2, 1};
  Check(k);
}

TEST(NchwcConv, Dilation2) {
  ONYX_SKIP_WITHOUT_NCHWC();
  ConvCase k = Case("dilation 2");
  k.c = 8, k.m = 16, k.dilations = {2, 2}, k.pads = {2, 2, 2, 2}, k.h = 12, k.w = 13;
  Check(k);
}

TEST(NchwcConv, AutoPadSameUpperStride2) {
  ONYX_SKIP_WITHOUT_NCHWC();
  ConvCase k = Case("SAME_UPPER s2");
  k.c = 8, k.m = 8, k.strides = {2, 2}, k.auto_pad = "SAME_UPPER", k.h = 10, k.w = 9;
  Check(k);
}

TEST(NchwcConv, Group2) {
  ONYX_SKIP_WITHOUT_NCHWC();
  ConvCase k = Case("group 2");
  k.c = 32, k.m = 48, k.group = 2, k.pads = {1, 1, 1, 1};
  Check(k);
}

TEST(NchwcConv, Depthwise) {
  ONYX_SKIP_WITHOUT_NCHWC();
  for (int64_t c : {8, 13, 32}) {
    for (int64_t s : {1, 2}) {
      ConvCase k = Case("depthwise c" + std::to_string(c) + " s" + std::to_string(s));
      k.c = k.m = k.group = c, k.strides = {s, s}, k.pads = {1, 1, 1, 1}, k.h = 14, k.w = 15;
      Check(k);
    }
  }
  ConvCase k = Case("depthwise 5x5 relu");
  k.c = k.m = k.group = 24, k.kh = k.kw = 5, k.pads = {2, 2, 2, 2}, k.activation = "Relu";
  Check(k);
  // The AVX-512 kernel reads the input unpadded: padding only at the end (BlazeFace's stride-2 convolutions), none,
  // dilation, windows wider than the input, rows too narrow for an interior.
  struct Shape2 {
    int64_t h, w, k, s, d;
    std::vector<int64_t> pads;
  };
  for (const Shape2& e : std::vector<Shape2>{{16, 17, 3, 2, 1, {0, 0, 1, 1}},
                                             {9, 11, 3, 1, 1, {0, 0, 0, 0}},
                                             {12, 13, 3, 1, 2, {2, 2, 2, 2}},
                                             {3, 3, 5, 1, 1, {2, 2, 2, 2}},
                                             {6, 2, 3, 1, 1, {1, 1, 1, 1}},
                                             {5, 1, 3, 1, 1, {1, 0, 1, 2}},
                                             {10, 30, 5, 1, 1, {2, 1, 2, 3}}}) {
    ConvCase k = Case("depthwise " + std::to_string(e.h) + "x" + std::to_string(e.w) + " k" + std::to_string(e.k));
    k.c = k.m = k.group = 16, k.h = e.h, k.w = e.w, k.kh = k.kw = e.k, k.strides = {e.s, e.s};
    k.dilations = {e.d, e.d}, k.pads = e.pads;
    Check(k);
  }
  // An odd pixel count (7 x 7: the AVX-512 tile's pairs leave one), a residual and an activation applied after.
  ConvCase r = Case("depthwise 7x7 residual sigmoid");
  r.c = r.m = r.group = 16, r.pads = {1, 1, 1, 1}, r.h = r.w = 7, r.z = true, r.activation = "Sigmoid";
  Check(r);
}

TEST(NchwcConv, Batch2ResidualRelu) {
  ONYX_SKIP_WITHOUT_NCHWC();
  ConvCase k = Case("batch 2 residual relu");
  k.n = 2, k.c = 64, k.m = 64, k.pads = {1, 1, 1, 1}, k.z = true, k.activation = "Relu", k.h = k.w = 8;
  Check(k);
}

TEST(NchwcConv, Activations) {
  ONYX_SKIP_WITHOUT_NCHWC();
  const std::vector<std::pair<std::string, std::vector<float>>> acts = {
      {"Relu", {}}, {"LeakyRelu", {0.1f}},   {"Sigmoid", {}},   {"HardSigmoid", {0.2f, 0.5f}},
      {"Tanh", {}}, {"Clip", {-0.5f, 0.7f}}, {"HardSwish", {}}, {"Silu", {}}};
  for (const auto& [act, params] : acts) {
    for (bool z : {false, true}) {
      ConvCase k = Case(act + (z ? " with Z" : ""));
      k.c = 13, k.m = 40, k.kh = k.kw = 1, k.activation = act, k.params = params, k.z = z, k.bias = !z;
      Check(k);
    }
  }
}

// The AVX-512 tiles: every row width a tile takes (1 to 14 columns, two-row tiles up to 7, split rows beyond), both
// strides, output block counts that leave half a pair (per group too), and a residual and an activation on a half.
TEST(NchwcConv, TileShapes) {
  ONYX_SKIP_WITHOUT_NCHWC();
  for (int64_t w : {1, 2, 5, 7, 8, 13, 14, 15, 29}) {
    for (int64_t s : {1, 2}) {
      ConvCase k = Case("3x3 w" + std::to_string(w) + " s" + std::to_string(s));
      k.c = 16, k.m = 40, k.h = 5, k.w = w, k.strides = {s, s}, k.pads = {1, 1, 1, 1};
      Check(k);
    }
  }
  for (int64_t m : {8, 24, 48}) {
    ConvCase k = Case("group 2 m" + std::to_string(m));
    k.c = 32, k.m = m, k.group = 2, k.h = 6, k.w = 7, k.pads = {1, 1, 1, 1};
    if (m % 16 == 0) Check(k);  // group 2 needs multiples of 8 per group
  }
  for (int64_t s : {1, 2}) {  // a 1-D convolution written as H x 1: run as a row
    ConvCase k = Case("column s" + std::to_string(s));
    k.c = 16, k.m = 24, k.h = 37, k.w = 1, k.kh = 5, k.kw = 1, k.strides = {s, 1}, k.pads = {2, 0, 1, 0};
    Check(k);
  }
  // The AVX-512 tiles read the input unpadded: pads wider than the window (outputs that see only padding), and
  // pads that differ per side with dilation.
  ConvCase wide = Case("pads wider than the window");
  wide.c = 8, wide.m = 16, wide.h = 5, wide.w = 6, wide.pads = {3, 4, 2, 3};
  Check(wide);
  ConvCase dil = Case("dilated, uneven pads");
  dil.c = 16, dil.m = 24, dil.h = 9, dil.w = 17, dil.dilations = {2, 3}, dil.pads = {1, 3, 2, 0}, dil.strides = {1, 2};
  Check(dil);
  ConvCase z = Case("half pair residual tanh");
  z.c = 8, z.m = 24, z.h = z.w = 6, z.z = true, z.activation = "Tanh", z.pads = {1, 1, 1, 1};
  Check(z);
  ConvCase b = Case("batch 3 pointwise flat");
  b.n = 3, b.c = 24, b.m = 24, b.kh = b.kw = 1, b.h = 9, b.w = 11, b.activation = "Relu";
  Check(b);
  ConvCase n = Case("nchw input 1 channel");
  n.c = 1, n.m = 16, n.h = n.w = 20, n.strides = {2, 2}, n.pads = {1, 1, 1, 1}, n.nchw_input = true;
  Check(n);
}

// The pair packing made straight from W is exactly the 8 x 8 packing repacked (what the kernel once did at creation),
// and unpacks back to it; BlockWeights finds the same block in both. Odd block counts per group leave a zero half.
TEST(NchwcConv, PairPackingMatchesBlockPacking) {
  struct Shape4 {
    int64_t m, cg, k, group;
  };
  for (const Shape4& e : std::vector<Shape4>{{24, 13, 3, 1}, {40, 16, 1, 1}, {48, 16, 3, 2}, {16, 8, 5, 2}}) {
    const Tensor w = Random({e.m, e.cg, e.k, e.k}, 5);
    const Tensor w8 = cpu::nchwc::PackConvWeights(w, e.group).take();
    const Tensor direct = cpu::nchwc::PackConvWeightsPairs(w, e.group).take();
    const Tensor repacked = cpu::nchwc::PackPairWeights(w8, e.group).take();
    const std::string name = "m" + std::to_string(e.m) + " group " + std::to_string(e.group);
    ASSERT_EQ(direct.shape(), repacked.shape()) << name;
    EXPECT_EQ(direct.shape()[5], 16) << name;
    EXPECT_TRUE(
        std::equal(direct.values<float>().begin(), direct.values<float>().end(), repacked.values<float>().begin()))
        << name;
    const Tensor back = cpu::nchwc::UnpackPairWeights(direct, e.group, w8.dim(0)).take();
    ASSERT_EQ(back.shape(), w8.shape()) << name;
    EXPECT_TRUE(std::equal(back.values<float>().begin(), back.values<float>().end(), w8.values<float>().begin()))
        << name;
    for (int64_t ob = 0; ob < w8.dim(0); ++ob) {
      int64_t ld8 = 0, ld16 = 0;
      const float* a = cpu::nchwc::BlockWeights(w8, e.group, w8.dim(0), ob, w8.dim(1) - 1, &ld8);
      const float* p = cpu::nchwc::BlockWeights(direct, e.group, w8.dim(0), ob, w8.dim(1) - 1, &ld16);
      ASSERT_EQ(ld8, 8);
      ASSERT_EQ(ld16, 16);
      for (int64_t r = 0; r < e.k * e.k * 8; ++r) {
        for (int64_t o = 0; o < 8; ++o) ASSERT_EQ(a[r * ld8 + o], p[r * ld16 + o]) << name << " block " << ob;
      }
    }
  }
  EXPECT_FALSE(cpu::nchwc::PackConvWeightsPairs(Random({16, 1, 3, 3}, 5), 16).ok());  // depthwise
  EXPECT_FALSE(cpu::nchwc::UnpackPairWeights(cpu::nchwc::PackConvWeightsPairs(Random({24, 8, 1, 1}, 5), 1).take(), 1, 5)
                   .ok());  // 3 blocks make 2 pairs, 5 would make 3
}

// Inputs that do not fit the packed weights are errors naming the node, never out-of-bounds reads.
TEST(NchwcConv, BadInputs) {
  ONYX_SKIP_WITHOUT_NCHWC();
  const Tensor w = cpu::nchwc::PackConvWeights(Random({16, 8, 3, 3}, 2), 1).take();
  auto make = [&](const Tensor& x, const Tensor& wt) {
    auto t = std::make_unique<OpTest>("NchwcConv", 1, "com.onyx");
    t->AddInputValue("X", Value(x));
    t->AddInputValue("W", Value(wt), true);
    t->AddOutputUnchecked("Y");
    return t;
  };
  make(Random({1, 2, 5, 5, 8}, 1), w)->RunExpectError("channel blocks");
  make(Random({1, 1, 5, 5, 4}, 1), w)->RunExpectError("must be blocked");
  make(Random({1, 1, 5, 5, 8}, 1), Random({16, 8, 3, 3, 1}, 2))->RunExpectError("is not packed");
  {  // raw weights fed at run time, with a bias that does not match them
    auto t = make(Random({1, 1, 5, 5, 8}, 1), Random({16, 8, 3, 3}, 2));
    t->AddInputValue("B", Value(Random({8}, 3)));
    t->RunExpectError("must be 1-D with 16 values");
  }
  make(Random({1, 1, 2, 2, 8}, 1), w)->RunExpectError("does not fit");
  {
    auto t = make(Random({1, 1, 5, 5, 8}, 1), w);
    t->AddInputValue("B", Value(Random({8}, 3)), true);
    t->RunExpectError("must be 1-D with 16 values");
  }
  {
    auto t = make(Random({1, 1, 5, 5, 8}, 1), w);
    t->AddMissingInput();
    t->AddInputValue("Z", Value(Random({1, 2, 5, 5, 8}, 3)));
    t->RunExpectError("residual input Z");
  }
  {
    auto t = make(Random({1, 1, 5, 5, 8}, 1), w);
    t->AddAttr("activation", std::string("Swish"));
    t->RunExpectError("unknown activation");
  }
  {
    auto t = make(Random({1, 1, 5, 5, 8}, 1), w);
    t->AddAttr("kernel_shape", std::vector<int64_t>{5, 5});
    t->RunExpectError("kernel_shape");
  }
  // Pair-packed weights need the block count: missing, or not matching the pairs (3 blocks make 2 pairs).
  const Tensor pw = cpu::nchwc::PackConvWeightsPairs(Random({24, 8, 3, 3}, 2), 1).take();
  make(Random({1, 1, 5, 5, 8}, 1), pw)->RunExpectError("out_blocks");
  {
    auto t = make(Random({1, 1, 5, 5, 8}, 1), pw);
    t->AddAttr("out_blocks", int64_t{5});
    t->RunExpectError("out_blocks");
  }
}

}  // namespace
}  // namespace onyx::test::nchwc
