// Dims derived from a symbol (ir::AffineDim): convolutions, pools and transposed convolutions of an input [N, C, H, W]
// name their spatial dims after H and W, so two paths that make the same arithmetic of them have equal shapes, and
// the residual fusion and the blocked layout take models exported with dynamic spatial axes. Near misses (ceil_mode
// with a stride) stay unknown.
#include <gtest/gtest.h>

#include <random>

#include "ir/derived_dim.h"
#include "kernels/nchwc_available.h"
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

TEST(DerivedDims, AffineDimOfNumbersSymbolsAndUnknowns) {
  const ir::Dim h = ir::Dim::Symbol("H");
  EXPECT_EQ(ir::AffineDim(h, 1, 0, 1), h);
  EXPECT_EQ(ir::AffineDim(h, 1, 1, 2).param, "floor((H+1)/2)");
  EXPECT_EQ(ir::AffineDim(h, 1, 0, 2).param, "floor(H/2)");
  EXPECT_EQ(ir::AffineDim(h, 2, 0, 1).param, "2*H");
  EXPECT_EQ(ir::AffineDim(h, 1, -2, 1).param, "(H-2)");
  EXPECT_EQ(ir::AffineDim(ir::Dim::Known(7), 1, 1, 2), ir::Dim::Known(4));
  EXPECT_EQ(ir::AffineDim(ir::Dim::Known(7), 2, -1, 1), ir::Dim::Known(13));
  EXPECT_FALSE(ir::AffineDim(ir::Dim::Known(1), 1, -3, 1).known());  // negative: no size
  EXPECT_FALSE(ir::AffineDim(ir::Dim{}, 1, 1, 2).known());
  EXPECT_TRUE(ir::AffineDim(ir::Dim{}, 1, 1, 2).param.empty());
  EXPECT_TRUE(ir::AffineDim(h, 1, 0, 0).param.empty());  // no divisor
  // Shifts of shifts combine; a shift inside other arithmetic does not.
  EXPECT_EQ(ir::AffineDim(ir::AffineDim(h, 1, -2, 1), 1, -2, 1).param, "(H-4)");
  EXPECT_EQ(ir::AffineDim(ir::AffineDim(h, 1, -2, 1), 1, 2, 1), h);
  EXPECT_EQ(ir::AffineDim(ir::AffineDim(h, 1, 3, 2), 1, -1, 1).param, "(floor((H+3)/2)-1)");
  // A name that only looks like a shift is still named deterministically (a wrong guess about shapes costs an
  // error at run time, where the kernels check them, never a wrong result).
  EXPECT_EQ(ir::AffineDim(ir::Dim::Symbol("(A+B-2)"), 1, 1, 1).param, "(A+B-1)");
  // Names stop growing: a thousand halvings leave the dim unknown rather than a long name.
  ir::Dim deep = h;
  for (int i = 0; i < 1000; ++i) deep = ir::AffineDim(deep, 1, 1, 2);
  EXPECT_FALSE(deep.known());
  EXPECT_TRUE(deep.param.empty());
}

void Output(proto::GraphProto* g, const std::string& name) {
  auto* vi = g->add_output();
  vi->set_name(name);
  vi->mutable_type()->mutable_tensor_type()->set_elem_type(1);
}

std::string ShapeOf(const Session& s, const std::string& name) {
  const ir::Value* v = s.model().graph->FindValue(name);
  return v ? v->type().ShapeString() : "<no value>";
}

// x [N, 8, H, W] -> Conv 3x3 stride 2 pad 1 -> a; 1x1 conv of a -> b; a + b -> s (a residual sum); then a pool with
// ceil_mode and stride 2, a VALID conv, a SAME_UPPER conv and a transposed convolution of s.
proto::ModelProto SymbolicModel() {
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  std::mt19937 rng(5);
  SetTensorType(g->add_input(), "x", 1, {-1, 8, -1, -1}, {"N", "", "H", "W"});
  AddFloatInit(g, "w1", {16, 8, 3, 3}, rng);
  AddFloatInit(g, "w2", {16, 16, 1, 1}, rng);
  AddFloatInit(g, "w3", {16, 16, 3, 3}, rng);
  AddFloatInit(g, "wt", {16, 8, 2, 2}, rng);
  auto* c1 = AddNode(g, "Conv", {"x", "w1"}, {"a"});
  SetIntsAttr(c1, "strides", {2, 2});
  SetIntsAttr(c1, "pads", {1, 1, 1, 1});
  AddNode(g, "Conv", {"a", "w2"}, {"b"});
  AddNode(g, "Add", {"b", "a"}, {"s"});
  auto* pool = AddNode(g, "MaxPool", {"s"}, {"p"});
  SetIntsAttr(pool, "kernel_shape", {3, 3});
  SetIntsAttr(pool, "strides", {2, 2});
  SetIntAttr(pool, "ceil_mode", 1);
  auto* valid = AddNode(g, "Conv", {"s", "w3"}, {"v"});
  valid->add_attribute()->set_name("auto_pad");
  valid->mutable_attribute(0)->set_type(proto::AttributeProto::STRING);
  valid->mutable_attribute(0)->set_s("VALID");
  auto* same = AddNode(g, "Conv", {"s", "w3"}, {"u"});
  same->add_attribute()->set_name("auto_pad");
  same->mutable_attribute(0)->set_type(proto::AttributeProto::STRING);
  same->mutable_attribute(0)->set_s("SAME_UPPER");
  SetIntsAttr(same, "strides", {2, 2});
  auto* t = AddNode(g, "ConvTranspose", {"s", "wt"}, {"t"});
  SetIntsAttr(t, "strides", {2, 2});
  for (const char* out : {"p", "v", "u", "t"}) Output(g, out);
  return m;
}

TEST(DerivedDims, ConvolutionsAndPoolsNameTheirDimsAfterTheInputs) {
  auto s = Make(SymbolicModel(), OptimizationLevel::kDisabled);
  ASSERT_TRUE(s);
  EXPECT_EQ(ShapeOf(*s, "a"), "[N,16,floor((H+1)/2),floor((W+1)/2)]");
  EXPECT_EQ(ShapeOf(*s, "b"), ShapeOf(*s, "a"));  // a 1x1 convolution keeps the name
  EXPECT_EQ(ShapeOf(*s, "s"), ShapeOf(*s, "a"));  // and so the residual sum has it too
  EXPECT_EQ(ShapeOf(*s, "p"), "[N,16,?,?]");      // ceil_mode with a stride: not a plain quotient
  EXPECT_EQ(ShapeOf(*s, "v"), "[N,16,(floor((H+1)/2)-2),(floor((W+1)/2)-2)]");
  EXPECT_EQ(ShapeOf(*s, "u"), "[N,16,floor((floor((H+1)/2)+1)/2),floor((floor((W+1)/2)+1)/2)]");
  EXPECT_EQ(ShapeOf(*s, "t"), "[N,8,2*floor((H+1)/2),2*floor((W+1)/2)]");
}

TEST(DerivedDims, ResizeByWholeScalesNamesItsDims) {
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "x", 1, {-1, 8, -1, 5}, {"N", "", "H", ""});
  auto* scales = g->add_initializer();
  scales->set_name("scales");
  scales->set_data_type(1);
  scales->add_dims(4);
  for (float v : {1.0f, 1.0f, 2.0f, 1.5f}) scales->add_float_data(v);
  AddNode(g, "Resize", {"x", "", "scales"}, {"y"});
  Output(g, "y");
  auto s = Make(m, OptimizationLevel::kDisabled);
  ASSERT_TRUE(s);
  EXPECT_EQ(ShapeOf(*s, "y"), "[N,8,2*H,?]");  // 5 * 1.5 is not a whole scale: left to the known-dims path
}

// What the names were computed for: at run time the outputs have the shapes the names say, for odd and even sizes.
TEST(DerivedDims, TheNamedShapesAreTheShapesARunGives) {
  for (int64_t hw : {9, 10}) {
    auto s = Make(SymbolicModel(), OptimizationLevel::kDisabled);
    ASSERT_TRUE(s);
    Tensor x = Tensor::Create(DataType::kFloat, {1, 8, hw, hw + 3}).take();
    for (float& v : x.mutable_values<float>()) v = 0.5f;
    std::vector<Value> outs;
    ASSERT_TRUE(s->Run({{"x", Value(x)}}, {}, &outs).ok());
    ASSERT_EQ(outs.size(), 4u);
    const int64_t ah = (hw + 1) / 2, aw = (hw + 3 + 1) / 2;
    EXPECT_EQ(outs[1].tensor().shape(), (Shape{1, 16, ah - 2, aw - 2}));
    EXPECT_EQ(outs[2].tensor().shape(), (Shape{1, 16, (ah + 1) / 2, (aw + 1) / 2}));
    EXPECT_EQ(outs[3].tensor().shape(), (Shape{1, 8, 2 * ah, 2 * aw}));
  }
}

// With the spatial axes dynamic, the residual sum still joins the convolution (FusedConv with Z), and at level all the
// chain runs blocked without reorders around the sum.
TEST(DerivedDims, ResidualFusionAndBlockedLayoutTakeDynamicSpatialAxes) {
  ONYX_SKIP_WITHOUT_NCHWC();
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  std::mt19937 rng(7);
  SetTensorType(g->add_input(), "x", 1, {-1, 8, -1, -1}, {"N", "", "H", "W"});
  AddFloatInit(g, "w1", {16, 8, 3, 3}, rng);
  AddFloatInit(g, "w2", {16, 16, 1, 1}, rng);
  AddFloatInit(g, "w3", {16, 16, 1, 1}, rng);
  auto* c1 = AddNode(g, "Conv", {"x", "w1"}, {"a"});
  SetIntsAttr(c1, "strides", {2, 2});
  SetIntsAttr(c1, "pads", {1, 1, 1, 1});
  AddNode(g, "Conv", {"a", "w2"}, {"b"});
  AddNode(g, "Add", {"b", "a"}, {"s"});
  AddNode(g, "Conv", {"s", "w3"}, {"y"});
  Output(g, "y");
  auto ext = Make(m, OptimizationLevel::kExtended);
  ASSERT_TRUE(ext);
  auto counts = OpCounts(*ext);
  EXPECT_EQ(counts["Add"], 0);
  EXPECT_EQ(counts["FusedConv"], 1);
  auto all = Make(m, OptimizationLevel::kAll);
  ASSERT_TRUE(all);
  counts = OpCounts(*all);
  EXPECT_EQ(counts["ReorderToNchwc"] + counts["ReorderFromNchwc"], 2) << "one reorder in, one out";
  auto plain = Make(m, OptimizationLevel::kDisabled);
  ASSERT_TRUE(plain);
  test::ExpectSameOutputsOn(*plain, *all, {{"x", Value(test::RandomFloats({2, 8, 11, 6}, 3))}});
}

}  // namespace
}  // namespace onyx
