// FuseLayerNormMoments: layer normalization written as E[x^2] - E[x]^2 (JAX/Flax: ReduceSum without keepdims,
// scaled by 1/C, brought back by Reshape/Expand, Max(var, 0)) and in the TF/Keras form x * s + (beta - mean * s)
// becomes one LayerNormalization with the same outputs; near misses are left alone.
#include <gtest/gtest.h>

#include <random>

#include "unit/optimizer_transformer_models.h"

namespace onyx::transformer_test {
namespace {

constexpr int64_t kRows = 3, kC = 8;

struct MomentsForm {
  bool keepdims = false;  // ReduceSum keepdims=1 (no Reshape/Expand)
  bool reduce_mean = false;
  bool max_zero = true;
  bool gamma = true, beta = true;
  bool mean_read_elsewhere = false;  // near miss: the mean is also an output
  float inv_c = 1.0f / kC;           // near miss when not 1/C
};

// x [kRows, kC] -> y, the JAX/Flax way.
proto::ModelProto MomentsModel(const MomentsForm& f) {
  std::mt19937 rng(3);
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "X", 1, {kRows, kC});
  Ints(g, "axes", {-1});
  auto mean_of = [&](const std::string& in, const std::string& out) {
    if (f.reduce_mean) {
      auto* r = Node(g, "ReduceMean", {in}, out);  // axes an attribute before opset 18
      SetIntsAttr(r, "axes", {-1});
      SetIntAttr(r, "keepdims", f.keepdims ? 1 : 0);
      return;
    }
    SetIntAttr(Node(g, "ReduceSum", {in, "axes"}, out + "_sum"), "keepdims", f.keepdims ? 1 : 0);
    Scalar(g, out + "_inv_c", f.inv_c);
    Node(g, "Mul", {out + "_sum", out + "_inv_c"}, out);
  };
  mean_of("X", "mean");
  Node(g, "Mul", {"X", "X"}, "sq");
  mean_of("sq", "ex2");
  Node(g, "Mul", {"mean", "mean"}, "mean2");
  Node(g, "Sub", {"ex2", "mean2"}, "var0");
  std::string var = "var0";
  if (f.max_zero) {
    Scalar(g, "zero", 0.0f);
    Node(g, "Max", {"zero", "var0"}, "var1");
    var = "var1";
  }
  std::string mean = "mean";
  if (!f.keepdims) {
    Ints(g, "keep_shape", {kRows, 1});
    Node(g, "Reshape", {var, "keep_shape"}, "var_r");
    Node(g, "Expand", {"var_r", "keep_shape"}, "var_k");
    Node(g, "Reshape", {"mean", "keep_shape"}, "mean_r");
    Node(g, "Expand", {"mean_r", "keep_shape"}, "mean_k");
    var = "var_k";
    mean = "mean_k";
  }
  Scalar(g, "eps", 1e-6f);
  Node(g, "Add", {var, "eps"}, "ve");
  Node(g, "Sqrt", {"ve"}, "sd");
  Node(g, "Reciprocal", {"sd"}, "inv");
  std::string s = "inv";
  if (f.gamma) {
    AddFloatInit(g, "gamma", {1, kC}, rng, 0.5f, 1.5f);
    Node(g, "Mul", {"inv", "gamma"}, "s");
    s = "s";
  }
  Node(g, "Sub", {"X", mean}, "d");
  Node(g, "Mul", {"d", s}, f.beta ? "n" : "Y");
  if (f.beta) {
    AddFloatInit(g, "beta", {kC}, rng);
    Node(g, "Add", {"n", "beta"}, "Y");
  }
  test::SetTensorType(g->add_output(), "Y", 1, {kRows, kC});
  if (f.mean_read_elsewhere) test::SetTensorType(g->add_output(), "mean", 1, {kRows});
  return m;
}

// x [2, kRows, kC] the tf2onnx way: y = x * s + (beta - mean * s).
proto::ModelProto KerasModel(bool gamma, bool shift_swapped = false) {
  std::mt19937 rng(4);
  proto::ModelProto m = BaseModel(13);
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "X", 1, {2, kRows, kC});
  SetIntsAttr(Node(g, "ReduceMean", {"X"}, "mean"), "axes", {-1});
  Node(g, "Sub", {"X", "mean"}, "d");
  Node(g, "Mul", {"d", "d"}, "d2");
  SetIntsAttr(Node(g, "ReduceMean", {"d2"}, "var"), "axes", {-1});
  Scalar(g, "eps", 1e-3f);
  Node(g, "Add", {"var", "eps"}, "ve");
  Node(g, "Sqrt", {"ve"}, "sd");
  Node(g, "Reciprocal", {"sd"}, "inv");
  std::string s = "inv";
  if (gamma) {
    AddFloatInit(g, "gamma", {kC}, rng, 0.5f, 1.5f);
    Node(g, "Mul", {"inv", "gamma"}, "s");
    s = "s";
  }
  Node(g, "Mul", {"X", s}, "xs");
  Node(g, "Mul", {"mean", s}, "ms");
  AddFloatInit(g, "beta", {kC}, rng);
  if (shift_swapped) {
    Node(g, "Sub", {"ms", "beta"}, "shift");  // mean * s - beta: not the pattern
  } else {
    Node(g, "Sub", {"beta", "ms"}, "shift");
  }
  Node(g, "Add", {"xs", "shift"}, "Y");
  test::SetTensorType(g->add_output(), "Y", 1, {2, kRows, kC});
  return m;
}

TEST(OptimizerLayerNormMoments, JaxFormsFuse) {
  std::vector<MomentsForm> forms(5);
  forms[1].keepdims = true;
  forms[2].reduce_mean = true;
  forms[2].max_zero = false;
  forms[3].gamma = false;
  forms[4].beta = false;
  for (size_t i = 0; i < forms.size(); ++i) {
    SCOPED_TRACE("form " + std::to_string(i));
    ExpectFused(MomentsModel(forms[i]), {{"LayerNormalization", 1}});
  }
}

TEST(OptimizerLayerNormMoments, KerasFormFusesBelowOpset17AsOnyxOp) {
  for (bool gamma : {true, false}) {
    SCOPED_TRACE(gamma ? "gamma" : "no gamma");
    auto m = KerasModel(gamma);
    ExpectFused(m, {{"LayerNormalization", 1}});
    auto s = Make(m, OptimizationLevel::kExtended);
    ASSERT_TRUE(s);
    EXPECT_EQ(DomainOf(*s, "LayerNormalization"), "com.onyx");
  }
}

TEST(OptimizerLayerNormMoments, NearMissesLeftAlone) {
  MomentsForm wrong_scale;
  wrong_scale.inv_c = 1.0f / (kC + 1);
  MomentsForm mean_read;
  mean_read.mean_read_elsewhere = true;
  for (const MomentsForm& f : {wrong_scale, mean_read}) {
    ExpectUnfused(MomentsModel(f), {"Sqrt", "Reciprocal"}, {"LayerNormalization"});
  }
  ExpectUnfused(KerasModel(true, /*shift_swapped=*/true), {"Sqrt", "Reciprocal"}, {"LayerNormalization"});
}

}  // namespace
}  // namespace onyx::transformer_test
