// The QDQ passes (qdq_propagation.cc, qdq_fusion.cc, qdq_fusion_elementwise.cc, fuse_dynamic_quant_matmul.cc,
// fold_dequantize.cc): each quantized pattern becomes its integer operator with outputs within one quantization
// step of the unoptimized model's, and near-misses stay as they are.
#include <gtest/gtest.h>

#include "optimizer/qdq_util.h"
#include "unit/optimizer_qdq_util.h"

namespace onyx {
namespace {

using test::AddIntInit;
using test::AddNode;
using test::AddQdq;
using test::AddQuantizedBias;
using test::AddScale;
using test::AddWeight;
using test::BaseModel;
using test::ExpectWithinSteps;
using test::Make;
using test::OpCounts;
using test::SetIntAttr;
using test::SetIntsAttr;
using test::SetTensorType;
using Counts = std::map<std::string, int>;

constexpr float kXScale = 0.01f, kYScale = 0.05f;

// Fuses at `level` to `expected` and stays within `steps` steps of kYScale (or `step`) of the unoptimized model.
void ExpectQdqRewrite(const proto::ModelProto& m, const Counts& expected, float step = kYScale, float steps = 1.0f,
                      OptimizationLevel level = OptimizationLevel::kExtended) {
  auto plain = Make(m, OptimizationLevel::kDisabled);
  auto opt = Make(m, level);
  ASSERT_TRUE(plain && opt);
  EXPECT_EQ(test::OpCounts(*opt), expected);
  ExpectWithinSteps(*plain, *opt, step, steps);
}

// X -> Q/DQ(u8 or s8) -> Conv(DQ(w s8), bias) [-> activation] -> Q/DQ -> Y, the quantizer's layout.
struct ConvModel {
  bool per_channel = true;
  bool int8_activations = false;
  enum class Bias { kNone, kQuantized, kFloat } bias = Bias::kQuantized;
  std::string activation;  // "", "Relu", "Clip"
  float clip_max = 6.0f;
  float y_scale = kYScale;

  proto::ModelProto Build() const {
    std::mt19937 rng(7);
    proto::ModelProto m = BaseModel(13);
    auto* g = m.mutable_graph();
    SetTensorType(g->add_input(), "X", 1, {1, 4, 6, 6});
    const int elem = int8_activations ? 3 : 2;
    AddQdq(g, "X", "x", kXScale, int8_activations ? 0 : 128, elem);
    std::vector<float> ws = AddWeight(g, "w", {8, 4, 3, 3}, rng, per_channel);
    std::vector<std::string> ins = {"x", "w"};
    if (bias == Bias::kQuantized) {
      AddQuantizedBias(g, "b", kXScale, ws, 8, rng);
      ins.push_back("b");
    } else if (bias == Bias::kFloat) {
      test::AddFloatInit(g, "b", {8}, rng, -0.5f, 0.5f);
      ins.push_back("b");
    }
    SetIntsAttr(AddNode(g, "Conv", ins, {"c"}), "pads", {1, 1, 1, 1});
    std::string out = "c";
    // A Relu or Clip the quantization range absorbs when its zero point sits at the type's minimum.
    int y_zp = int8_activations ? -10 : 120;
    if (activation == "Relu") {
      AddNode(g, "Relu", {"c"}, {"a"});
      out = "a";
      y_zp = int8_activations ? -128 : 0;
    } else if (activation == "Clip") {
      AddScale(g, "lo", {0.0f});
      AddScale(g, "hi", {clip_max});
      AddNode(g, "Clip", {"c", "lo", "hi"}, {"a"});
      out = "a";
      y_zp = int8_activations ? -128 : 0;
    }
    AddQdq(g, out, "Y", y_scale, y_zp, elem);
    SetTensorType(g->add_output(), "Y", 1, {1, 8, 6, 6});
    return m;
  }
};

TEST(OptimizerQdq, ConvWithQuantizedBiasBecomesQLinearConv) {
  ExpectQdqRewrite(ConvModel{}.Build(), {{"QuantizeLinear", 1}, {"QLinearConv", 1}, {"DequantizeLinear", 1}});
}

TEST(OptimizerQdq, ConvPerTensorInt8WithFloatBiasBecomesQLinearConv) {
  ConvModel c;
  c.per_channel = false;
  c.int8_activations = true;
  c.bias = ConvModel::Bias::kFloat;
  ExpectQdqRewrite(c.Build(), {{"QuantizeLinear", 1}, {"QLinearConv", 1}, {"DequantizeLinear", 1}});
  c.bias = ConvModel::Bias::kNone;
  ExpectQdqRewrite(c.Build(), {{"QuantizeLinear", 1}, {"QLinearConv", 1}, {"DequantizeLinear", 1}});
}

TEST(OptimizerQdq, ReluAndClipBeforeQuantizeAreAbsorbed) {
  for (bool s8 : {false, true}) {
    ConvModel c;
    c.int8_activations = s8;
    c.activation = "Relu";
    ExpectQdqRewrite(c.Build(), {{"QuantizeLinear", 1}, {"QLinearConv", 1}, {"DequantizeLinear", 1}});
    // Clip(0, 6) where Q's range ends at 255 * scale <= 6: Q clamps there already.
    c.activation = "Clip";
    c.y_scale = 6.0f / 255.0f;
    ExpectQdqRewrite(c.Build(), {{"QuantizeLinear", 1}, {"QLinearConv", 1}, {"DequantizeLinear", 1}}, c.y_scale);
  }
}

TEST(OptimizerQdq, ClipInsideTheQuantizedRangeStays) {
  ConvModel c;
  c.activation = "Clip";
  c.clip_max = 1.0f;  // Q reaches 255 * 0.05 = 12.75: the Clip cuts at 1, inside
  // The Conv stays float (its weights folded) and takes the Clip as a float FusedConv.
  ExpectQdqRewrite(c.Build(), {{"QuantizeLinear", 2}, {"DequantizeLinear", 2}, {"FusedConv", 1}});
}

TEST(OptimizerQdq, ConstantFoldingLeavesWeightDequantizeToTheFusionButFoldsTheRest) {
  // Conv whose float output is the graph output: no fusion, and the weight DQ then folds into a float constant.
  std::mt19937 rng(1);
  proto::ModelProto m = BaseModel(13);
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {1, 4, 6, 6});
  AddQdq(g, "X", "x", kXScale, 128);
  AddWeight(g, "w", {8, 4, 3, 3}, rng, true);
  AddNode(g, "Conv", {"x", "w"}, {"Y"});
  SetTensorType(g->add_output(), "Y", 1, {1, 8, 4, 4});
  ExpectQdqRewrite(m, {{"QuantizeLinear", 1}, {"DequantizeLinear", 1}, {"Conv", 1}}, 1e-5f);
  ExpectQdqRewrite(m, {{"QuantizeLinear", 1}, {"DequantizeLinear", 1}, {"Conv", 1}}, 1e-5f, 1.0f,
                   OptimizationLevel::kBasic);
}

TEST(OptimizerQdq, LayoutPassLeavesQuantizedConvolutionsAlone) {
  // Level all: the fused graph gets no reorders, and a Conv left float between DQ and Q (per-channel activation
  // scale: not fused) stays NCHW too.
  auto opt = Make(ConvModel{}.Build(), OptimizationLevel::kAll);
  ASSERT_TRUE(opt);
  EXPECT_EQ(OpCounts(*opt), (Counts{{"QuantizeLinear", 1}, {"QLinearConv", 1}, {"DequantizeLinear", 1}}));

  std::mt19937 rng(2);
  proto::ModelProto m = BaseModel(13);
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {1, 8, 6, 6});
  AddScale(g, "xs", std::vector<float>(8, kXScale), false);
  AddIntInit(g, "xz", 2, {8}, std::vector<int32_t>(8, 128));
  SetIntAttr(AddNode(g, "QuantizeLinear", {"X", "xs", "xz"}, {"xq"}), "axis", 1);
  SetIntAttr(AddNode(g, "DequantizeLinear", {"xq", "xs", "xz"}, {"x"}), "axis", 1);
  AddWeight(g, "w", {8, 8, 1, 1}, rng, true);
  AddNode(g, "Conv", {"x", "w"}, {"c"});
  AddQdq(g, "c", "Y", kYScale, 128);
  SetTensorType(g->add_output(), "Y", 1, {1, 8, 6, 6});
  ExpectQdqRewrite(m, {{"QuantizeLinear", 2}, {"DequantizeLinear", 2}, {"Conv", 1}}, kYScale, 1.0f,
                   OptimizationLevel::kAll);
}

proto::ModelProto MatMulModel(bool per_column) {
  std::mt19937 rng(3);
  proto::ModelProto m = BaseModel(13);
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {3, 16});
  AddQdq(g, "X", "x", kXScale, 128);
  AddWeight(g, "w", {16, 8}, rng, per_column, 1);
  AddNode(g, "MatMul", {"x", "w"}, {"c"});
  AddQdq(g, "c", "Y", 0.02f, 128);
  SetTensorType(g->add_output(), "Y", 1, {3, 8});
  return m;
}

TEST(OptimizerQdq, MatMulBecomesQLinearMatMul) {
  for (bool per_column : {false, true}) {
    ExpectQdqRewrite(MatMulModel(per_column), {{"QuantizeLinear", 1}, {"QLinearMatMul", 1}, {"DequantizeLinear", 1}},
                     0.02f);
  }
}

TEST(OptimizerQdq, GemmBecomesQGemmWhenAKernelRunsIt) {
  std::mt19937 rng(4);
  proto::ModelProto m = BaseModel(13);
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {2, 16});
  AddQdq(g, "X", "x", kXScale, 128);
  std::vector<float> ws = AddWeight(g, "w", {8, 16}, rng, true, 0);
  AddQuantizedBias(g, "b", kXScale, ws, 8, rng);
  SetIntAttr(AddNode(g, "Gemm", {"x", "w", "b"}, {"c"}), "transB", 1);
  AddQdq(g, "c", "Y", 0.02f, 128);
  SetTensorType(g->add_output(), "Y", 1, {2, 8});
  if (test::HasCpuKernel("com.microsoft", "QGemm")) {
    ExpectQdqRewrite(m, {{"QuantizeLinear", 1}, {"QGemm", 1}, {"DequantizeLinear", 1}}, 0.02f);
  } else {
    // No kernel: the pattern stays float (the weight and bias DQs fold).
    ExpectQdqRewrite(m, {{"QuantizeLinear", 2}, {"DequantizeLinear", 2}, {"Gemm", 1}}, 0.02f);
  }
}

TEST(OptimizerQdq, SharedDequantizeStaysForItsOtherReader) {
  // x's DQ feeds the Conv and a float graph output: the Conv fuses, reading x's 8-bit value; the DQ stays.
  proto::ModelProto m = ConvModel{}.Build();
  auto* g = m.mutable_graph();
  AddNode(g, "Relu", {"x"}, {"Z"});
  SetTensorType(g->add_output(), "Z", 1, {1, 4, 6, 6});
  ExpectQdqRewrite(m, {{"QuantizeLinear", 1}, {"QLinearConv", 1}, {"DequantizeLinear", 2}, {"Relu", 1}});
}

TEST(OptimizerQdq, BiasIsQuantizedWithRoundHalfToEven) {
  std::vector<float> b = {1.25f, 1.75f, -1.25f, 0.0f};  // at scale 0.5: 2.5, 3.5, -2.5, 0
  ir::Graph graph;
  ir::Value* v = graph.GetOrCreateValue("b");
  graph.SetInitializer(v, Tensor::FromVector<float>({4}, b));
  std::optional<Tensor> q = opt::qdq::QuantizedBias(v, 4, 1.0f, {0.5f});
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(std::vector<int32_t>(q->data<int32_t>(), q->data<int32_t>() + 4), (std::vector<int32_t>{2, 4, -2, 0}));
  EXPECT_FALSE(opt::qdq::QuantizedBias(v, 3, 1.0f, {0.5f}).has_value());  // wrong length
}

}  // namespace
}  // namespace onyx
