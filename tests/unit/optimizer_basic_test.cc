// The basic level's node-removal and folding passes: each rewrites a small graph as expected, leaves
// near-misses alone, and keeps the outputs of the unoptimized graph.
#include <gtest/gtest.h>

#include "ep/cpu/cpu_isa.h"
#include "unit/optimizer_test_util.h"

namespace onyx {
namespace {

using test::AddFloatInit;
using test::AddNode;
using test::BaseModel;
using test::ExpectSameOutputs;
using test::Make;
using test::OpCounts;
using test::SetFloatAttr;
using test::SetIntAttr;
using test::SetIntsAttr;
using test::SetTensorType;
using Counts = std::map<std::string, int>;

void AddInts(proto::GraphProto* g, const std::string& name, const std::vector<int64_t>& v) {
  auto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(7);
  t->add_dims(static_cast<int64_t>(v.size()));
  for (int64_t x : v) t->add_int64_data(x);
}

// Compares counts at `level` and outputs with the unoptimized model.
void ExpectRewrite(const proto::ModelProto& m, OptimizationLevel level, const Counts& expected) {
  auto plain = Make(m, OptimizationLevel::kDisabled);
  auto opt = Make(m, level);
  ASSERT_TRUE(plain && opt);
  EXPECT_EQ(OpCounts(*opt), expected);
  ExpectSameOutputs(*plain, *opt);
}

TEST(OptimizerBasic, NoOpNodesAreRemoved) {
  proto::ModelProto m = BaseModel(18);
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {2, 3});
  SetIntAttr(AddNode(g, "Cast", {"X"}, {"c"}), "to", 1);
  AddInts(g, "shape", {2, 3});
  AddNode(g, "Reshape", {"c", "shape"}, {"r"});
  SetIntsAttr(AddNode(g, "Transpose", {"r"}, {"t"}), "perm", {0, 1});
  AddInts(g, "starts", {0});
  AddInts(g, "ends", {3});
  AddInts(g, "axes", {1});
  AddNode(g, "Slice", {"t", "starts", "ends", "axes"}, {"s"});
  AddInts(g, "pads", {0, 0, 0, 0});
  AddNode(g, "Pad", {"s", "pads"}, {"p"});
  AddNode(g, "Expand", {"p", "shape"}, {"e"});
  SetIntAttr(AddNode(g, "Concat", {"e"}, {"k"}), "axis", 0);
  AddNode(g, "Relu", {"k"}, {"y"});
  SetIntAttr(AddNode(g, "Cast", {"y"}, {"Y"}), "to", 1);  // a graph output: Relu writes Y directly
  SetTensorType(g->add_output(), "Y", 1, {2, 3});
  ExpectRewrite(m, OptimizationLevel::kBasic, {{"Relu", 1}});
}

TEST(OptimizerBasic, NodesThatChangeDataStay) {
  proto::ModelProto m = BaseModel(18);
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {3, 3});
  SetIntAttr(AddNode(g, "Cast", {"X"}, {"c"}), "to", 11);  // float -> double
  SetIntAttr(AddNode(g, "Cast", {"c"}, {"f"}), "to", 1);
  SetIntsAttr(AddNode(g, "Transpose", {"f"}, {"t"}), "perm", {1, 0});
  AddInts(g, "starts", {-1});
  AddInts(g, "ends", {-4});
  AddInts(g, "axes", {0});
  AddInts(g, "steps", {-1});
  AddNode(g, "Slice", {"t", "starts", "ends", "axes", "steps"}, {"Y"});  // same shape, reversed rows
  SetTensorType(g->add_output(), "Y", 1, {3, 3});
  ExpectRewrite(m, OptimizationLevel::kBasic, {{"Cast", 2}, {"Transpose", 1}, {"Slice", 1}});
}

TEST(OptimizerBasic, CancellingTransposePairIsRemoved) {
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {2, 3, 4});
  SetIntsAttr(AddNode(g, "Transpose", {"X"}, {"t1"}), "perm", {2, 0, 1});
  SetIntsAttr(AddNode(g, "Transpose", {"t1"}, {"t2"}), "perm", {1, 2, 0});
  AddNode(g, "Relu", {"t2"}, {"Y"});
  SetTensorType(g->add_output(), "Y", 1, {2, 3, 4});
  ExpectRewrite(m, OptimizationLevel::kBasic, {{"Relu", 1}});
}

TEST(OptimizerBasic, TransposePairThatDoesNotCancelStays) {
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {2, 3, 4});
  SetIntsAttr(AddNode(g, "Transpose", {"X"}, {"t1"}), "perm", {1, 0, 2});
  SetIntsAttr(AddNode(g, "Transpose", {"t1"}, {"Y"}), "perm", {0, 2, 1});
  SetTensorType(g->add_output(), "Y", 1, {3, 4, 2});
  ExpectRewrite(m, OptimizationLevel::kBasic, {{"Transpose", 2}});
}

TEST(OptimizerBasic, CommonSubexpressionsMerge) {
  std::mt19937 rng(2);
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {2, 4});
  // Two equal constants under different names, each added to X, then the same Sigmoid of each sum.
  AddFloatInit(g, "b1", {4}, rng);
  auto* b2 = g->add_initializer();
  *b2 = g->initializer(0);
  b2->set_name("b2");
  AddNode(g, "Add", {"X", "b1"}, {"a1"});
  AddNode(g, "Add", {"X", "b2"}, {"a2"});
  AddNode(g, "Sigmoid", {"a1"}, {"s1"});
  AddNode(g, "Sigmoid", {"a2"}, {"s2"});
  SetFloatAttr(AddNode(g, "LeakyRelu", {"s1"}, {"l1"}), "alpha", 0.1f);
  SetFloatAttr(AddNode(g, "LeakyRelu", {"s2"}, {"l2"}), "alpha", 0.2f);  // other attribute: stays
  AddNode(g, "Add", {"l1", "l2"}, {"Y"});
  SetTensorType(g->add_output(), "Y", 1, {2, 4});
  ExpectRewrite(m, OptimizationLevel::kBasic, {{"Add", 2}, {"Sigmoid", 1}, {"LeakyRelu", 2}});
}

TEST(OptimizerBasic, RandomNodesAreNotMerged) {
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {2, 4});
  AddNode(g, "RandomUniformLike", {"X"}, {"r1"});
  AddNode(g, "RandomUniformLike", {"X"}, {"r2"});
  AddNode(g, "Sub", {"r1", "r2"}, {"Y"});
  SetTensorType(g->add_output(), "Y", 1, {2, 4});
  auto basic = Make(m, OptimizationLevel::kBasic);
  ASSERT_TRUE(basic);
  EXPECT_EQ(OpCounts(*basic), (Counts{{"RandomUniformLike", 2}, {"Sub", 1}}));
}

// Conv(X, W, B) -> Mul(scale) -> Add(offset) -> Y, X float[1,3,8,8].
proto::ModelProto ConvMulAdd(const std::vector<int64_t>& scale_dims, bool offset_constant = true) {
  std::mt19937 rng(4);
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {1, 3, 8, 8});
  AddFloatInit(g, "W", {4, 3, 3, 3}, rng);
  AddFloatInit(g, "B", {4}, rng);
  AddFloatInit(g, "scale", scale_dims, rng, 0.5f, 2.0f);
  if (offset_constant) {
    AddFloatInit(g, "offset", {1, 4, 1, 1}, rng);
  } else {
    SetTensorType(g->add_input(), "offset", 1, {1, 4, 1, 1});
  }
  AddNode(g, "Conv", {"X", "W", "B"}, {"c"});
  AddNode(g, "Mul", {"scale", "c"}, {"m"});
  AddNode(g, "Add", {"m", "offset"}, {"Y"});
  SetTensorType(g->add_output(), "Y", 1, {1, 4, 6, 6});
  return m;
}

TEST(OptimizerBasic, ConvTakesPerChannelMulAndAdd) {
  ExpectRewrite(ConvMulAdd({4, 1, 1}), OptimizationLevel::kBasic, {{"Conv", 1}});
}

TEST(OptimizerBasic, ConvKeepsMulThatIsNotPerChannelAndNonConstantAdd) {
  ExpectRewrite(ConvMulAdd({1, 1, 6, 6}, /*offset_constant=*/false), OptimizationLevel::kBasic,
                {{"Conv", 1}, {"Mul", 1}, {"Add", 1}});
}

TEST(OptimizerBasic, TransposeFoldsIntoMatMulAndGemm) {
  std::mt19937 rng(6);
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "A", 1, {3, 2});
  SetTensorType(g->add_input(), "B", 1, {4, 3});
  AddFloatInit(g, "C", {4}, rng);
  AddNode(g, "Transpose", {"A"}, {"at"});                                 // [2,3]
  AddNode(g, "MatMul", {"at", "A"}, {"mm"});                              // [2,3] x [3,2]
  AddNode(g, "Transpose", {"B"}, {"bt"});                                 // [3,4]
  SetIntAttr(AddNode(g, "Gemm", {"A", "bt", "C"}, {"gm"}), "transA", 1);  // A^T [2,3] x [3,4]
  AddNode(g, "MatMul", {"mm", "gm"}, {"Y"});                              // [2,2] x [2,4]
  SetTensorType(g->add_output(), "Y", 1, {2, 4});
  ExpectRewrite(m, OptimizationLevel::kBasic, {{"Gemm", 2}, {"MatMul", 1}});
}

TEST(OptimizerBasic, TransposeIntoBatchedMatMulStays) {
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "A", 1, {2, 3, 4});
  SetIntsAttr(AddNode(g, "Transpose", {"A"}, {"at"}), "perm", {0, 2, 1});
  AddNode(g, "MatMul", {"at", "A"}, {"Y"});
  SetTensorType(g->add_output(), "Y", 1, {2, 4, 4});
  ExpectRewrite(m, OptimizationLevel::kBasic, {{"Transpose", 1}, {"MatMul", 1}});
}

TEST(OptimizerBasic, ConstantArithmeticMerges) {
  std::mt19937 rng(8);
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {2, 4});
  AddFloatInit(g, "c1", {4}, rng, 0.5f, 2.0f);
  AddFloatInit(g, "c2", {1}, rng, 0.5f, 2.0f);
  AddFloatInit(g, "c3", {2, 1}, rng);
  AddFloatInit(g, "c4", {4}, rng);
  AddNode(g, "Div", {"X", "c1"}, {"d"});
  AddNode(g, "Mul", {"c2", "d"}, {"m"});
  AddNode(g, "Sub", {"m", "c3"}, {"s"});
  AddNode(g, "Add", {"s", "c4"}, {"Y"});
  SetTensorType(g->add_output(), "Y", 1, {2, 4});
  ExpectRewrite(m, OptimizationLevel::kBasic, {{"Mul", 1}, {"Add", 1}});
}

TEST(OptimizerBasic, ArithmeticWithoutCheaperFormStays) {
  std::mt19937 rng(9);
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {2, 4});
  AddFloatInit(g, "c", {4}, rng, 0.5f, 2.0f);
  AddNode(g, "Div", {"c", "X"}, {"d"});  // c / x
  AddNode(g, "Mul", {"d", "X"}, {"m"});  // no constant
  AddNode(g, "Mul", {"m", "c"}, {"Y"});  // its input also read by nothing else, but the inner Mul has no constant
  SetTensorType(g->add_output(), "Y", 1, {2, 4});
  ExpectRewrite(m, OptimizationLevel::kBasic, {{"Div", 1}, {"Mul", 2}});
}

}  // namespace
}  // namespace onyx

namespace onyx {
namespace {

// Conv(X) + R -> Relu, the residual block of ResNet; `residual_shape` is R's shape.
proto::ModelProto ConvResidual(const std::string& sum_op, const std::vector<int64_t>& residual_shape) {
  std::mt19937 rng(10);
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {1, 3, 8, 8});
  SetTensorType(g->add_input(), "R", 1, residual_shape);
  AddFloatInit(g, "W", {4, 3, 3, 3}, rng);
  AddFloatInit(g, "B", {4}, rng);
  SetIntsAttr(AddNode(g, "Conv", {"X", "W", "B"}, {"c"}), "pads", {1, 1, 1, 1});
  AddNode(g, sum_op, {"R", "c"}, {"s"});
  AddNode(g, "Relu", {"s"}, {"Y"});
  SetTensorType(g->add_output(), "Y", 1, {1, 4, 8, 8});
  return m;
}

TEST(OptimizerExtended, ConvAddReluBecomesOneFusedConv) {
  ExpectRewrite(ConvResidual("Add", {1, 4, 8, 8}), OptimizationLevel::kExtended, {{"FusedConv", 1}});
  ExpectRewrite(ConvResidual("Sum", {1, 4, 8, 8}), OptimizationLevel::kExtended, {{"FusedConv", 1}});
}

TEST(OptimizerExtended, ConvAddThatBroadcastsStays) {
  // R broadcasts over the channels: not the same shape as the Conv output, so the Add (and the Relu after it) stay.
  ExpectRewrite(ConvResidual("Add", {1, 1, 8, 8}), OptimizationLevel::kExtended,
                {{"Conv", 1}, {"Add", 1}, {"Relu", 1}});
}

TEST(OptimizerExtended, ScaledMatMulBecomesFusedMatMulWithAlpha) {
  std::mt19937 rng(11);
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "Q", 1, {2, 3, 4});
  SetTensorType(g->add_input(), "K", 1, {2, 4, 3});
  AddFloatInit(g, "half", {}, rng, 0.5f, 0.5f);
  AddFloatInit(g, "root", {1}, rng, 2.0f, 2.0f);
  AddNode(g, "Mul", {"Q", "half"}, {"qs"});
  AddNode(g, "MatMul", {"qs", "K"}, {"s"});
  AddNode(g, "Div", {"s", "root"}, {"Y"});  // the basic level makes it a Mul by 0.5
  SetTensorType(g->add_output(), "Y", 1, {2, 3, 3});
  ExpectRewrite(m, OptimizationLevel::kExtended, {{"FusedMatMul", 1}});
  auto s = Make(m, OptimizationLevel::kExtended);
  ASSERT_TRUE(s);
  const ir::Attribute* alpha = s->model().graph->nodes()[0]->attribute("alpha");
  ASSERT_NE(alpha, nullptr);
  EXPECT_FLOAT_EQ(alpha->f, 0.25f);
}

TEST(OptimizerExtended, MatMulScaledByTensorStays) {
  std::mt19937 rng(12);
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "A", 1, {3, 4});
  SetTensorType(g->add_input(), "B", 1, {4, 3});
  AddFloatInit(g, "scale", {3}, rng);  // per-column, not a scalar
  AddNode(g, "MatMul", {"A", "B"}, {"p"});
  AddNode(g, "Mul", {"p", "scale"}, {"Y"});
  SetTensorType(g->add_output(), "Y", 1, {3, 3});
  ExpectRewrite(m, OptimizationLevel::kExtended, {{"MatMul", 1}, {"Mul", 1}});
}

}  // namespace
}  // namespace onyx

namespace onyx {
namespace {

// NCHW Conv -> to NHWC -> Add(bias over channels) -> Relu -> Concat with another NHWC tensor -> back to NCHW ->
// Conv: what TensorFlow exports look like. At level all the Transposes meet and cancel.
proto::ModelProto NhwcSandwich(bool bias_constant) {
  std::mt19937 rng(13);
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {1, 3, 6, 6});
  AddFloatInit(g, "W0", {4, 3, 1, 1}, rng);
  AddFloatInit(g, "W1", {4, 3, 1, 1}, rng);
  AddFloatInit(g, "W2", {2, 8, 1, 1}, rng);
  if (bias_constant) {
    AddFloatInit(g, "bias", {4}, rng);
  } else {
    SetTensorType(g->add_input(), "bias", 1, {4});
  }
  AddNode(g, "Conv", {"X", "W1"}, {"c1"});
  SetIntsAttr(AddNode(g, "Transpose", {"c1"}, {"nhwc"}), "perm", {0, 2, 3, 1});
  AddNode(g, "Add", {"nhwc", "bias"}, {"a"});
  AddNode(g, "Relu", {"a"}, {"r"});
  AddNode(g, "Conv", {"X", "W0"}, {"c0"});
  SetIntsAttr(AddNode(g, "Transpose", {"c0"}, {"nhwc2"}), "perm", {0, 2, 3, 1});
  SetIntAttr(AddNode(g, "Concat", {"r", "nhwc2"}, {"cat"}), "axis", 3);
  SetIntsAttr(AddNode(g, "Transpose", {"cat"}, {"nchw"}), "perm", {0, 3, 1, 2});
  AddNode(g, "Conv", {"nchw", "W2"}, {"Y"});
  SetTensorType(g->add_output(), "Y", 1, {1, 2, 6, 6});
  return m;
}

TEST(OptimizerAll, TransposesPushedThroughElementwiseAndConcatCancel) {
  auto m = NhwcSandwich(/*bias_constant=*/true);
  auto extended = Make(m, OptimizationLevel::kExtended);
  ASSERT_TRUE(extended);
  EXPECT_EQ(OpCounts(*extended)["Transpose"], 3);
  // The constant bias is transposed once, the Transposes meet after the Concat and cancel; the Add then folds
  // into the first Conv's bias and the Relu into it (seen here with the blocked layout, which runs last, off).
  SessionOptions o;
  o.optimization_level = OptimizationLevel::kAll;
  o.disabled_passes = {"NchwcLayout"};
  std::string bytes = test::Serialize(m);
  auto all = Session::CreateFromBytes(bytes.data(), bytes.size(), o);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(OpCounts(*all.value()), (Counts{{"Conv", 2}, {"FusedConv", 1}, {"Concat", 1}}));
  ExpectSameOutputs(*Make(m, OptimizationLevel::kDisabled), *all.value());
  // With it, the three convolutions become blocked ones and no Transpose is left either (where the blocked
  // layout is used: it needs AVX2).
  if (!cpu::HasAvx2()) return;
  ExpectRewrite(m, OptimizationLevel::kAll,
                {{"Concat", 1}, {"NchwcConv", 3}, {"ReorderFromNchwc", 3}, {"ReorderToNchwc", 1}});
}

TEST(OptimizerAll, TransposeBeforeNonConstantOperandStays) {
  // The bias is a graph input: the Add cannot take the Transpose without a new one on the bias, so the pair
  // around it stays (the Concat branch is still rewritten).
  // (Counted with the blocked layout off: it absorbs a Transpose back to NHWC into its last reorder.)
  auto m = NhwcSandwich(/*bias_constant=*/false);
  SessionOptions o;
  o.optimization_level = OptimizationLevel::kAll;
  o.disabled_passes = {"NchwcLayout"};
  std::string bytes = test::Serialize(m);
  auto pushed = Session::CreateFromBytes(bytes.data(), bytes.size(), o);
  ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
  EXPECT_GE(OpCounts(*pushed.value())["Transpose"], 2);
  ExpectSameOutputs(*Make(m, OptimizationLevel::kDisabled), *pushed.value());
  auto all = Make(m, OptimizationLevel::kAll);
  ASSERT_TRUE(all);
  ExpectSameOutputs(*Make(m, OptimizationLevel::kDisabled), *all);
}

}  // namespace
}  // namespace onyx

namespace onyx {
namespace {

// X [batch, seq, 8] reshaped to a target computed from its shape: [batch, seq, 2, 4] (Gather/Concat), or
// [batch*seq, 8] (a product); `data_dependent` takes the first element from a NonZero count instead.
proto::ModelProto ComputedReshape(bool product, bool data_dependent) {
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {-1, -1, 8}, {"batch", "seq"});
  AddNode(g, "Shape", {"X"}, {"s"});
  AddInts(g, "i0", {0});
  AddInts(g, "i1", {1});
  AddNode(g, "Gather", {"s", "i0"}, {"b"});
  AddNode(g, "Gather", {"s", "i1"}, {"q"});
  std::string first = "b";
  if (data_dependent) {
    AddNode(g, "NonZero", {"X"}, {"nz"});
    AddNode(g, "Shape", {"nz"}, {"nzs"});
    AddNode(g, "Gather", {"nzs", "i1"}, {"count"});
    first = "count";
  }
  if (product) {
    AddNode(g, "Mul", {first, "q"}, {"bq"});
    AddInts(g, "eight", {8});
    SetIntAttr(AddNode(g, "Concat", {"bq", "eight"}, {"target"}), "axis", 0);
  } else {
    AddInts(g, "tail", {2, 4});
    SetIntAttr(AddNode(g, "Concat", {first, "q", "tail"}, {"target"}), "axis", 0);
  }
  AddNode(g, "Reshape", {"X", "target"}, {"Y"});
  SetTensorType(g->add_output(), "Y", 1, product ? std::vector<int64_t>{-1, 8} : std::vector<int64_t>{-1, -1, 2, 4},
                {"n", "m"});
  return m;
}

TEST(OptimizerBasic, ComputedReshapeTargetBecomesConstant) {
  for (bool product : {false, true}) {
    SCOPED_TRACE(product ? "product" : "gather");
    auto m = ComputedReshape(product, /*data_dependent=*/false);
    auto plain = Make(m, OptimizationLevel::kDisabled);
    auto basic = Make(m, OptimizationLevel::kBasic);
    ASSERT_TRUE(plain && basic);
    EXPECT_EQ(OpCounts(*basic), (Counts{{"Reshape", 1}}));
    const Tensor* target = basic->model().graph->nodes()[0]->input(1)->initializer();
    ASSERT_NE(target, nullptr);
    EXPECT_EQ(target->values<int64_t>()[0], product ? -1 : 0);
    ExpectSameOutputs(*plain, *basic);
  }
}

TEST(OptimizerBasic, DataDependentReshapeTargetStays) {
  auto m = ComputedReshape(/*product=*/false, /*data_dependent=*/true);
  auto basic = Make(m, OptimizationLevel::kBasic);
  ASSERT_TRUE(basic);
  EXPECT_EQ(OpCounts(*basic)["Concat"], 1);
  EXPECT_EQ(OpCounts(*basic)["NonZero"], 1);
}

}  // namespace
}  // namespace onyx
