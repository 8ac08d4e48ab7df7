// The blocked layout takes nearest-neighbour upsampling by whole factors (Resize with scales [1, 1, s, s] under the
// coordinate modes that read pixel d / s, Upsample) as NchwcUpsample, so a decoder between convolutions stays
// blocked; other modes stay Resize. Outputs equal the unoptimized graph's.
#include <gtest/gtest.h>

#include <random>

#include "kernels/nchwc_available.h"
#include "unit/optimizer_test_util.h"

namespace onyx {
namespace {

using test::AddFloatInit;
using test::AddNode;
using test::BaseModel;
using test::Make;
using test::OpCounts;
using test::SetTensorType;

void StrAttr(proto::NodeProto* n, const std::string& name, const std::string& v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(proto::AttributeProto::STRING);
  a->set_s(v);
}

struct Case {
  std::string op = "Resize", mode = "nearest", coords = "asymmetric", nearest = "floor";
  float scale = 2;
  int opset = 17;
};

// x [1, 16, H, W] -> Conv 3x3 -> upsample -> Conv 1x1 -> y.
proto::ModelProto UpsampleChain(const Case& c) {
  proto::ModelProto m = BaseModel(c.opset);
  auto* g = m.mutable_graph();
  std::mt19937 rng(21);
  SetTensorType(g->add_input(), "x", 1, {1, 16, -1, -1}, {"", "", "H", "W"});
  AddFloatInit(g, "w1", {16, 16, 3, 3}, rng);
  AddFloatInit(g, "w2", {8, 16, 1, 1}, rng);
  auto* c1 = AddNode(g, "Conv", {"x", "w1"}, {"a"});
  auto* pads = c1->add_attribute();
  pads->set_name("pads");
  pads->set_type(proto::AttributeProto::INTS);
  for (int i = 0; i < 4; ++i) pads->add_ints(1);
  auto* scales = g->add_initializer();
  scales->set_name("scales");
  scales->set_data_type(1);
  scales->add_dims(4);
  for (float v : {1.0f, 1.0f, c.scale, c.scale}) scales->add_float_data(v);
  proto::NodeProto* up = nullptr;
  if (c.op == "Resize") {
    up = AddNode(g, "Resize", {"a", "", "scales"}, {"u"});
    StrAttr(up, "coordinate_transformation_mode", c.coords);
    StrAttr(up, "nearest_mode", c.nearest);
  } else {
    up = AddNode(g, "Upsample", {"a", "scales"}, {"u"});
  }
  StrAttr(up, "mode", c.mode);
  AddNode(g, "Conv", {"u", "w2"}, {"y"});
  auto* vi = g->add_output();
  vi->set_name("y");
  vi->mutable_type()->mutable_tensor_type()->set_elem_type(1);
  return m;
}

void ExpectSameOutputs(const Session& want, const Session& got, int64_t h, int64_t w) {
  test::ExpectSameOutputsOn(want, got, {{"x", Value(test::RandomFloats({1, 16, h, w}, 4))}});
}

TEST(NchwcUpsample, NearestWholeFactorsStayBlocked) {
  ONYX_SKIP_WITHOUT_NCHWC();
  Case asym;
  Case half;
  half.coords = "half_pixel";
  half.nearest = "round_prefer_floor";
  half.scale = 3;
  Case torch_half = half;
  torch_half.coords = "pytorch_half_pixel";
  torch_half.nearest = "round_prefer_ceil";
  torch_half.scale = 2;
  Case upsample;
  upsample.op = "Upsample";
  upsample.opset = 9;
  for (const Case& c : {asym, half, torch_half, upsample}) {
    SCOPED_TRACE(c.op + " " + c.coords + " " + c.nearest);
    auto plain = Make(UpsampleChain(c), OptimizationLevel::kDisabled);
    auto all = Make(UpsampleChain(c), OptimizationLevel::kAll);
    ASSERT_TRUE(plain && all);
    auto counts = OpCounts(*all);
    EXPECT_EQ(counts["NchwcUpsample"], 1);
    EXPECT_EQ(counts["ReorderToNchwc"], 1);
    EXPECT_EQ(counts["ReorderFromNchwc"], 1);
    ExpectSameOutputs(*plain, *all, 5, 7);
  }
}

// Modes whose source pixel is not d / s (half_pixel with floor reads pixel 0 for d = 2 at scale 2), linear
// interpolation and fractional scales stay Resize, with the same outputs.
TEST(NchwcUpsample, OtherModesStayResize) {
  Case floor_half;
  floor_half.coords = "half_pixel";
  Case linear;
  linear.mode = "linear";
  Case fractional;
  fractional.scale = 1.5f;
  Case corners;
  corners.coords = "align_corners";
  corners.nearest = "round_prefer_floor";
  for (const Case& c : {floor_half, linear, fractional, corners}) {
    SCOPED_TRACE(c.mode + " " + c.coords + " " + c.nearest);
    auto plain = Make(UpsampleChain(c), OptimizationLevel::kDisabled);
    auto all = Make(UpsampleChain(c), OptimizationLevel::kAll);
    ASSERT_TRUE(plain && all);
    auto counts = OpCounts(*all);
    EXPECT_EQ(counts["NchwcUpsample"], 0);
    EXPECT_EQ(counts["Resize"], 1);
    ExpectSameOutputs(*plain, *all, 6, 4);
  }
}

}  // namespace
}  // namespace onyx
