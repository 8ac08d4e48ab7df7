// Optimizer passes: each rewrites a small graph as expected, leaves near-misses alone, and the optimized
// graph gives the same outputs as the original on random inputs.
#include <gtest/gtest.h>

#include <random>

#include "ep/cpu/cpu_isa.h"
#include "format/model_loader.h"
#include "framework/value_compare.h"
#include "optimizer/optimizer.h"
#include "session/session.h"
#include "unit/optimizer_test_util.h"

namespace onyx {
namespace {

using test::AddFloatInit;
using test::BaseModel;
using test::ExpectSameOutputs;
using test::Make;
using test::OpCounts;

// Conv(X, W, B) -> BatchNormalization -> Relu -> Y, X float[1,3,8,8].
proto::ModelProto ConvBnRelu(bool weights_constant = true, bool extra_reader = false) {
  std::mt19937 rng(7);
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "X", 1, {1, 3, 8, 8});
  if (weights_constant) {
    AddFloatInit(g, "W", {4, 3, 3, 3}, rng);
  } else {
    test::SetTensorType(g->add_input(), "W", 1, {4, 3, 3, 3});
  }
  AddFloatInit(g, "B", {4}, rng);
  AddFloatInit(g, "scale", {4}, rng, 0.5f, 1.5f);
  AddFloatInit(g, "beta", {4}, rng);
  AddFloatInit(g, "mean", {4}, rng);
  AddFloatInit(g, "var", {4}, rng, 0.5f, 1.5f);
  test::AddNode(g, "Conv", {"X", "W", "B"}, {"c"});
  test::AddNode(g, "BatchNormalization", {"c", "scale", "beta", "mean", "var"}, {"bn"});
  test::AddNode(g, "Relu", {"bn"}, {"Y"});
  test::SetTensorType(g->add_output(), "Y", 1, {1, 4, 6, 6});
  if (extra_reader) {
    test::AddNode(g, "Identity", {"c"}, {"Z"});
    test::SetTensorType(g->add_output(), "Z", 1, {1, 4, 6, 6});
  }
  return m;
}

TEST(Optimizer, ConvBatchNormFoldsAndReluFuses) {
  auto m = ConvBnRelu();
  auto plain = Make(m, OptimizationLevel::kDisabled);
  auto basic = Make(m, OptimizationLevel::kBasic);
  auto extended = Make(m, OptimizationLevel::kExtended);
  ASSERT_TRUE(plain && basic && extended);
  EXPECT_EQ(OpCounts(*plain), (std::map<std::string, int>{{"Conv", 1}, {"BatchNormalization", 1}, {"Relu", 1}}));
  EXPECT_EQ(OpCounts(*basic), (std::map<std::string, int>{{"Conv", 1}, {"Relu", 1}}));
  EXPECT_EQ(OpCounts(*extended), (std::map<std::string, int>{{"FusedConv", 1}}));
  ExpectSameOutputs(*plain, *basic);
  ExpectSameOutputs(*plain, *extended);
  const auto& summary = basic->optimization();
  EXPECT_EQ(summary.nodes_before, 3u);
  EXPECT_EQ(summary.nodes_after, 2u);
  bool reported = false;
  for (const auto& [pass, n] : summary.passes) reported |= pass == "FuseConvBatchNorm" && n == 1;
  EXPECT_TRUE(reported);
}

TEST(Optimizer, BatchNormLeftAloneWhenConvOutputHasAnotherReader) {
  auto m = ConvBnRelu(true, /*extra_reader=*/true);
  auto basic = Make(m, OptimizationLevel::kBasic);
  ASSERT_TRUE(basic);
  EXPECT_EQ(OpCounts(*basic)["BatchNormalization"], 1);
  ExpectSameOutputs(*Make(m, OptimizationLevel::kDisabled), *basic);
}

TEST(Optimizer, BatchNormLeftAloneWhenWeightsAreNotConstant) {
  auto m = ConvBnRelu(/*weights_constant=*/false);
  auto basic = Make(m, OptimizationLevel::kBasic);
  ASSERT_TRUE(basic);
  EXPECT_EQ(OpCounts(*basic)["BatchNormalization"], 1);
}

TEST(Optimizer, ConstantFoldingAndShapeFolding) {
  std::mt19937 rng(1);
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "X", 1, {2, 6});
  AddFloatInit(g, "A", {6}, rng);
  AddFloatInit(g, "B", {6}, rng);
  test::AddNode(g, "Mul", {"A", "B"}, {"AB"});        // folds
  test::AddNode(g, "Add", {"X", "AB"}, {"S"});
  test::AddNode(g, "Shape", {"S"}, {"shape"});        // static: folds
  auto* axes = g->add_initializer();
  axes->set_name("axes");
  axes->set_data_type(7);
  axes->add_dims(1);
  axes->add_int64_data(0);
  test::AddNode(g, "Gather", {"shape", "axes"}, {"first"});  // folds after Shape
  test::AddNode(g, "Reshape", {"S", "shape"}, {"Y"});
  test::SetTensorType(g->add_output(), "Y", 1, {2, 6});
  test::SetTensorType(g->add_output(), "first", 7, {1});
  auto plain = Make(m, OptimizationLevel::kDisabled);
  auto basic = Make(m, OptimizationLevel::kBasic);
  ASSERT_TRUE(plain && basic);
  auto counts = OpCounts(*basic);
  EXPECT_EQ(counts.count("Mul"), 0u);
  EXPECT_EQ(counts.count("Shape"), 0u);
  EXPECT_EQ(counts.count("Gather"), 0u);
  EXPECT_EQ(counts["Add"], 1);
  ExpectSameOutputs(*plain, *basic);
}

TEST(Optimizer, IdentityDropoutAndDeadNodesRemoved) {
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "X", 1, {3});
  test::AddNode(g, "Identity", {"X"}, {"i"});
  test::AddNode(g, "Dropout", {"i"}, {"d"});
  test::AddNode(g, "Relu", {"d"}, {"Y"});
  test::AddNode(g, "Neg", {"X"}, {"unused"});
  test::AddNode(g, "Identity", {"Y"}, {"Out"});  // a graph output: Relu writes it directly
  test::SetTensorType(g->add_output(), "Out", 1, {3});
  test::AddNode(g, "Identity", {"X"}, {"Copy"});  // a graph input copied to an output: kept
  test::SetTensorType(g->add_output(), "Copy", 1, {3});
  auto plain = Make(m, OptimizationLevel::kDisabled);
  auto basic = Make(m, OptimizationLevel::kBasic);
  ASSERT_TRUE(plain && basic);
  EXPECT_EQ(OpCounts(*basic), (std::map<std::string, int>{{"Relu", 1}, {"Identity", 1}}));
  ExpectSameOutputs(*plain, *basic);
}

TEST(Optimizer, DropoutWithReadMaskKept) {
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "X", 1, {3});
  test::AddNode(g, "Dropout", {"X"}, {"d", "mask"});
  test::SetTensorType(g->add_output(), "d", 1, {3});
  test::SetTensorType(g->add_output(), "mask", 9, {3});
  auto basic = Make(m, OptimizationLevel::kBasic);
  ASSERT_TRUE(basic);
  EXPECT_EQ(OpCounts(*basic)["Dropout"], 1);
}

TEST(Optimizer, MatMulAddBecomesGemmAndFusesActivation) {
  std::mt19937 rng(5);
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "X", 1, {4, 8});
  AddFloatInit(g, "W", {8, 5}, rng);
  AddFloatInit(g, "bias", {5}, rng);
  test::AddNode(g, "MatMul", {"X", "W"}, {"mm"});
  test::AddNode(g, "Add", {"mm", "bias"}, {"a"});
  test::AddNode(g, "Sigmoid", {"a"}, {"Y"});
  test::SetTensorType(g->add_output(), "Y", 1, {4, 5});
  auto plain = Make(m, OptimizationLevel::kDisabled);
  auto basic = Make(m, OptimizationLevel::kBasic);
  auto all = Make(m, OptimizationLevel::kAll);
  ASSERT_TRUE(plain && basic && all);
  EXPECT_EQ(OpCounts(*basic), (std::map<std::string, int>{{"Gemm", 1}, {"Sigmoid", 1}}));
  EXPECT_EQ(OpCounts(*all), (std::map<std::string, int>{{"FusedGemm", 1}}));
  ExpectSameOutputs(*plain, *basic);
  ExpectSameOutputs(*plain, *all);
}

// SiLU written out (Conv, then x * Sigmoid(x), the Mul's operands either way round) becomes the Conv's activation, at
// the extended level (FusedConv) and at all (NchwcConv); a Sigmoid whose result has another reader is left alone.
TEST(Optimizer, ConvSiluFuses) {
  for (int variant = 0; variant < 3; ++variant) {
    std::mt19937 rng(6);
    proto::ModelProto m = BaseModel();
    auto* g = m.mutable_graph();
    test::SetTensorType(g->add_input(), "X", 1, {1, 8, 6, 6});
    AddFloatInit(g, "W", {16, 8, 3, 3}, rng, -0.3f, 0.3f);
    test::AddNode(g, "Conv", {"X", "W"}, {"c"});
    test::AddNode(g, "Sigmoid", {"c"}, {"s"});
    test::AddNode(g, "Mul", variant == 1 ? std::vector<std::string>{"s", "c"} : std::vector<std::string>{"c", "s"},
                  {"Y"});
    test::SetTensorType(g->add_output(), "Y", 1, {1, 16, 4, 4});
    if (variant == 2) test::SetTensorType(g->add_output(), "s", 1, {1, 16, 4, 4});
    auto plain = Make(m, OptimizationLevel::kDisabled);
    auto extended = Make(m, OptimizationLevel::kExtended);
    auto all = Make(m, OptimizationLevel::kAll);
    ASSERT_TRUE(plain && extended && all);
    if (variant == 2) {
      EXPECT_EQ(OpCounts(*extended), (std::map<std::string, int>{{"Conv", 1}, {"Sigmoid", 1}, {"Mul", 1}}));
    } else {
      EXPECT_EQ(OpCounts(*extended), (std::map<std::string, int>{{"FusedConv", 1}}));
      // Without AVX2 (or with ONYX_ISA=portable) the blocked layout is not used and the FusedConv stays.
      EXPECT_EQ(OpCounts(*all)[cpu::HasAvx2() ? "NchwcConv" : "FusedConv"], 1);
      EXPECT_EQ(OpCounts(*all).count("Mul"), 0u);
    }
    ExpectSameOutputs(*plain, *extended);
    ExpectSameOutputs(*plain, *all);
  }
}

TEST(Optimizer, MatMulWithNonConstantWeightLeftAlone) {
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "X", 1, {4, 8});
  test::SetTensorType(g->add_input(), "W", 1, {8, 5});
  test::SetTensorType(g->add_input(), "bias", 1, {5});
  test::AddNode(g, "MatMul", {"X", "W"}, {"mm"});
  test::AddNode(g, "Add", {"mm", "bias"}, {"Y"});
  test::SetTensorType(g->add_output(), "Y", 1, {4, 5});
  auto basic = Make(m, OptimizationLevel::kBasic);
  ASSERT_TRUE(basic);
  EXPECT_EQ(OpCounts(*basic), (std::map<std::string, int>{{"MatMul", 1}, {"Add", 1}}));
}

TEST(Optimizer, DisabledPassIsSkipped) {
  std::string bytes = test::Serialize(ConvBnRelu());
  SessionOptions o;
  o.optimization_level = OptimizationLevel::kAll;
  o.disabled_passes = {"FuseConvBatchNorm", "FuseActivation"};
  auto s = Session::CreateFromBytes(bytes.data(), bytes.size(), o);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(OpCounts(*s.value())["BatchNormalization"], 1);
}

// A user pass added through the API runs at its level and reports what it did.
class CountingPass final : public opt::GraphPass {
 public:
  std::string name() const override { return "TestNegNegCancel"; }
  Result<int> Run(ir::Graph& graph, const opt::PassContext&) const override {
    int n = 0;
    std::vector<ir::Node*> negs;
    for (const auto& node : graph.nodes()) {
      if (node->op_type() == "Neg") negs.push_back(node.get());
    }
    for (ir::Node* first : negs) {
      ir::Node* second = opt::SoleConsumer(first->output(0));
      if (!second || second->op_type() != "Neg") continue;
      if (!graph.ReplaceAllUses(second->output(0), first->input(0))) continue;
      graph.RemoveNode(second);
      ++n;
      break;  // the first node's output may now be dead; EliminateDead removes it
    }
    return n;
  }
};

TEST(Optimizer, UserPassRuns) {
  opt::RegisterUserPass(opt::Level::kExtended, [] { return std::unique_ptr<opt::GraphPass>(new CountingPass()); });
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "X", 1, {3});
  test::AddNode(g, "Neg", {"X"}, {"n1"});
  test::AddNode(g, "Neg", {"n1"}, {"n2"});
  test::AddNode(g, "Relu", {"n2"}, {"Y"});
  test::SetTensorType(g->add_output(), "Y", 1, {3});
  auto s = Make(m, OptimizationLevel::kExtended);
  ASSERT_TRUE(s);
  EXPECT_EQ(OpCounts(*s), (std::map<std::string, int>{{"Relu", 1}}));
  ExpectSameOutputs(*Make(m, OptimizationLevel::kDisabled), *s);
}

TEST(Optimizer, ParsesLevels) {
  EXPECT_EQ(opt::ParseLevel("basic").value(), opt::Level::kBasic);
  EXPECT_EQ(opt::ParseLevel("all").value(), opt::Level::kAll);
  EXPECT_FALSE(opt::ParseLevel("max").ok());
  auto names = opt::PassNames(opt::Level::kBasic);
  EXPECT_NE(std::find(names.begin(), names.end(), "ConstantFolding"), names.end());
}

}  // namespace
}  // namespace onyx
