// ConvTransposeToConv: a ConvTranspose whose kernel equals its stride becomes a 1x1 Conv and DepthToSpace (DCR), a
// following BatchNormalization folds into it and an activation moves before the shuffle; weights that are
// overridable graph inputs are rearranged at run time. At level all the shuffle runs blocked (NchwcDepthToSpace)
// when its output channels fill whole blocks. Outputs equal the unoptimized graph's; near misses stay ConvTranspose.
#include <gtest/gtest.h>

#include <random>

#include "ep/cpu/cpu_isa.h"
#include "unit/optimizer_test_util.h"

namespace onyx {
namespace {

using test::AddFloatInit;
using test::AddNode;
using test::BaseModel;
using test::ExpectSameOutputsOn;
using test::Make;
using test::OpCounts;
using test::SetIntAttr;
using test::SetIntsAttr;
using test::SetTensorType;

struct Options {
  int64_t in_channels = 16, out_channels = 16, kernel = 2, stride = 2, group = 1, pad = 0;
  bool bias = true, batch_norm = true, relu = true, weights_as_inputs = false;
};

// x [N, C, H, W] (H, W symbolic) -> ConvTranspose [-> BatchNormalization] [-> Relu] -> y.
proto::ModelProto UpsampleModel(const Options& o) {
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  std::mt19937 rng(11);
  SetTensorType(g->add_input(), "x", 1, {-1, o.in_channels, -1, -1}, {"N", "", "H", "W"});
  AddFloatInit(g, "w", {o.in_channels, o.out_channels / o.group, o.kernel, o.kernel}, rng);
  std::vector<std::string> ins = {"x", "w"};
  if (o.bias) {
    AddFloatInit(g, "b", {o.out_channels}, rng);
    ins.push_back("b");
  }
  if (o.weights_as_inputs) {
    SetTensorType(g->add_input(), "w", 1, {o.in_channels, o.out_channels / o.group, o.kernel, o.kernel});
    if (o.bias) SetTensorType(g->add_input(), "b", 1, {o.out_channels});
  }
  std::string out = "t";
  auto* ct = AddNode(g, "ConvTranspose", ins, {out});
  SetIntsAttr(ct, "strides", {o.stride, o.stride});
  SetIntsAttr(ct, "kernel_shape", {o.kernel, o.kernel});
  SetIntsAttr(ct, "pads", {o.pad, o.pad, o.pad, o.pad});
  if (o.group != 1) SetIntAttr(ct, "group", o.group);
  if (o.batch_norm) {
    AddFloatInit(g, "scale", {o.out_channels}, rng, 0.5f, 1.5f);
    AddFloatInit(g, "beta", {o.out_channels}, rng);
    AddFloatInit(g, "mean", {o.out_channels}, rng);
    AddFloatInit(g, "var", {o.out_channels}, rng, 0.5f, 2.0f);
    AddNode(g, "BatchNormalization", {out, "scale", "beta", "mean", "var"}, {"n"});
    out = "n";
  }
  if (o.relu) {
    AddNode(g, "Relu", {out}, {"r"});
    out = "r";
  }
  auto* vi = g->add_output();
  vi->set_name(out);
  vi->mutable_type()->mutable_tensor_type()->set_elem_type(1);
  return m;
}

Value Input(int64_t c, int64_t h, int64_t w, uint32_t seed) { return Value(test::RandomFloats({2, c, h, w}, seed)); }

TEST(ConvTransposeToConv, KernelEqualsStrideBecomesConvAndDepthToSpace) {
  const Options o;
  auto plain = Make(UpsampleModel(o), OptimizationLevel::kDisabled);
  for (OptimizationLevel level : {OptimizationLevel::kBasic, OptimizationLevel::kExtended, OptimizationLevel::kAll}) {
    auto s = Make(UpsampleModel(o), level);
    ASSERT_TRUE(s && plain);
    auto counts = OpCounts(*s);
    EXPECT_EQ(counts["ConvTranspose"], 0);
    EXPECT_EQ(counts["BatchNormalization"], 0) << "folded into the 1x1 weights";
    // Moved before the shuffle, and fused into the convolution from level extended on.
    EXPECT_EQ(counts["Relu"], level == OptimizationLevel::kBasic ? 1 : 0);
    if (level == OptimizationLevel::kAll && cpu::HasAvx2()) {  // the blocked layout needs AVX2
      EXPECT_EQ(counts["NchwcDepthToSpace"], 1);
      EXPECT_EQ(counts["DepthToSpace"], 0);
    } else {
      EXPECT_EQ(counts["DepthToSpace"], 1);
    }
    for (int64_t hw : {5, 8}) ExpectSameOutputsOn(*plain, *s, {{"x", Input(o.in_channels, hw, hw + 1, 1)}});
  }
}

// Output channels that do not fill whole blocks: the shuffle stays NCHW after a reorder.
TEST(ConvTransposeToConv, PartialBlocksShuffleInPlainLayout) {
  Options o;
  o.out_channels = 12;
  o.kernel = o.stride = 3;
  o.batch_norm = false;
  auto plain = Make(UpsampleModel(o), OptimizationLevel::kDisabled);
  auto s = Make(UpsampleModel(o), OptimizationLevel::kAll);
  ASSERT_TRUE(s && plain);
  auto counts = OpCounts(*s);
  EXPECT_EQ(counts["ConvTranspose"], 0);
  EXPECT_EQ(counts["DepthToSpace"], 1);
  EXPECT_EQ(counts["NchwcDepthToSpace"], 0);
  ExpectSameOutputsOn(*plain, *s, {{"x", Input(o.in_channels, 4, 7, 2)}});
}

// Overridable weights (initializers listed as inputs): rearranged at run time, so a run that feeds its own
// weights gets them, and the BatchNormalization (constant here, but after weights that are not) stays.
TEST(ConvTransposeToConv, OverridableWeightsAreRearrangedAtRunTime) {
  Options o;
  o.weights_as_inputs = true;
  auto plain = Make(UpsampleModel(o), OptimizationLevel::kDisabled);
  auto s = Make(UpsampleModel(o), OptimizationLevel::kAll);
  ASSERT_TRUE(s && plain);
  auto counts = OpCounts(*s);
  EXPECT_EQ(counts["ConvTranspose"], 0);
  EXPECT_EQ(counts["Transpose"], 1);
  EXPECT_EQ(counts["Tile"], 1);
  EXPECT_EQ(counts["BatchNormalization"], 1);
  const Value x = Input(o.in_channels, 6, 6, 3);
  ExpectSameOutputsOn(*plain, *s, {{"x", x}});
  // Other weights and bias fed for a run.
  ExpectSameOutputsOn(
      *plain, *s,
      {{"x", x}, {"w", Value(test::RandomFloats({16, 16, 2, 2}, 9))}, {"b", Value(test::RandomFloats({16}, 10))}});
}

TEST(ConvTransposeToConv, NearMissesStayConvTranspose) {
  Options overlapping;  // kernel 3, stride 2: output pixels read several inputs
  overlapping.kernel = 3;
  Options padded;
  padded.pad = 1;
  padded.kernel = padded.stride = 4;
  Options grouped;
  grouped.group = 2;
  for (const Options& o : {overlapping, padded, grouped}) {
    auto plain = Make(UpsampleModel(o), OptimizationLevel::kDisabled);
    auto s = Make(UpsampleModel(o), OptimizationLevel::kAll);
    ASSERT_TRUE(s && plain);
    EXPECT_EQ(OpCounts(*s)["ConvTranspose"], 1);
    ExpectSameOutputsOn(*plain, *s, {{"x", Input(o.in_channels, 7, 5, 4)}});
  }
}

// The blocked shuffle checks what it is given.
TEST(ConvTransposeToConv, NchwcDepthToSpaceRefusesAnUnblockedInput) {
  proto::ModelProto m = BaseModel(17);
  auto* op = m.add_opset_import();
  op->set_domain("com.onyx");
  op->set_version(1);
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "x", 1, {1, 3, 4, 4, 8});
  auto* n = AddNode(g, "NchwcDepthToSpace", {"x"}, {"y"});
  n->set_domain("com.onyx");
  SetIntAttr(n, "blocksize", 2);
  SetIntAttr(n, "channels", 8);
  auto* vi = g->add_output();
  vi->set_name("y");
  vi->mutable_type()->mutable_tensor_type()->set_elem_type(1);
  auto s = Make(m, OptimizationLevel::kDisabled);
  ASSERT_TRUE(s);
  std::vector<Value> out;
  Status st = s->Run({{"x", Value(Tensor::Create(DataType::kFloat, {1, 3, 4, 4, 8}).take())}}, {}, &out);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("[N, 4, H, W, 8]"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace onyx
