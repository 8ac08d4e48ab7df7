// FuseAttention: BERT self-attention written out op by op becomes com.onyx:Attention; a whole encoder layer
// fuses, and an optimized model saves and loads back (the kernels' own tests are in tests/kernels/).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

#include "unit/optimizer_transformer_models.h"

namespace onyx::transformer_test {
namespace {

TEST(OptimizerTransformerAttention, BertSelfAttentionVariantsFuse) {
  std::vector<AttnForm> forms(6);
  forms[1].k_two_transposes = true;
  forms[1].scale_by_mul = true;
  forms[2].scale_on_q = true;
  forms[2].mask = 1;
  forms[3].mask = 2;
  forms[4].symbolic_batch = true;
  forms[4].mask = 1;
  forms[5].k_two_transposes = true;
  forms[5].mask = 2;
  for (size_t i = 0; i < forms.size(); ++i) {
    SCOPED_TRACE("variant " + std::to_string(i));
    auto m = AttentionModel(forms[i]);
    auto plain = Make(m, OptimizationLevel::kDisabled);
    auto fused = Make(m, OptimizationLevel::kExtended);
    ASSERT_TRUE(plain && fused);
    auto counts = OpCounts(*fused);
    EXPECT_EQ(counts["Attention"], 1);
    for (const char* gone : {"MatMul", "Softmax", "Transpose", "Reshape"}) EXPECT_EQ(counts.count(gone), 0u) << gone;
    for (const auto& n : fused->model().graph->nodes()) {
      if (n->op_type() != "Attention") continue;
      EXPECT_EQ(n->attribute("num_heads")->i, kH);
      EXPECT_NEAR(n->attribute("scale")->f, 0.5f, 1e-6f);
      EXPECT_EQ(n->inputs().size(), forms[i].mask ? 4u : 3u);
    }
    ExpectSameOutputsMixed(*plain, *fused);
  }
}

// FuseMatMulScale (extended, before the transformer passes) turns the scaled MatMuls into FusedMatMul with
// alpha; without it the scale nodes themselves are matched.
TEST(OptimizerTransformerAttention, ScaleNodesMatchedWithoutFuseMatMulScale) {
  for (bool on_q : {false, true}) {
    AttnForm f;
    f.scale_on_q = on_q;
    f.k_two_transposes = on_q;
    f.mask = 1;
    std::string bytes = test::Serialize(AttentionModel(f));
    SessionOptions o;
    o.intra_op_threads = 1;
    o.optimization_level = OptimizationLevel::kExtended;
    o.disabled_passes = {"FuseMatMulScale"};
    auto s = Session::CreateFromBytes(bytes.data(), bytes.size(), o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_EQ(OpCounts(*s.value()), (Counts{{"Attention", 1}}));
    ExpectSameOutputs(*Make(AttentionModel(f), OptimizationLevel::kDisabled), *s.value());
  }
}

TEST(OptimizerTransformerAttention, NearMissesLeftAlone) {
  AttnForm probs_read;
  probs_read.probs_read = true;
  AttnForm weights_input;
  weights_input.weights_input = true;
  AttnForm axis2;
  axis2.softmax_axis2 = true;
  for (const AttnForm& f : {probs_read, weights_input, axis2}) {
    ExpectUnfused(AttentionModel(f), {"Softmax", "MatMul"}, {"Attention"});
  }
}

TEST(OptimizerTransformerAttention, BertLayerFusesEverything) {
  auto m = BertLayer();
  ExpectFused(m, {{"Attention", 1}, {"MatMul", 3}, {"SkipLayerNormalization", 2}, {"BiasGelu", 1}});
}

TEST(OptimizerTransformerSaved, OptimizedModelSavesAndLoadsBack) {
  auto m = BertLayer();
  const std::string path =
      (std::filesystem::temp_directory_path() / ("onyx_transformer_" + std::to_string(::getpid()) + ".onnx")).string();
  std::string bytes = test::Serialize(m);
  SessionOptions o;
  o.intra_op_threads = 1;
  o.optimization_level = OptimizationLevel::kExtended;
  o.optimized_model_path = path;
  auto fused = Session::CreateFromBytes(bytes.data(), bytes.size(), o);
  ASSERT_TRUE(fused.ok()) << fused.status().ToString();
  SessionOptions plain_options;
  plain_options.intra_op_threads = 2;  // the fused kernels' parallel paths
  plain_options.optimization_level = OptimizationLevel::kDisabled;
  auto loaded = Session::Create(path, plain_options);
  std::remove(path.c_str());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(OpCounts(*loaded.value()), OpCounts(*fused.value()));
  // Types and shapes come back through the com.onyx shape inference.
  for (const IoInfo& out : loaded.value()->outputs()) {
    EXPECT_EQ(out.type.elem_type, DataType::kFloat);
    ASSERT_TRUE(out.type.shape.has_value());
    EXPECT_EQ(out.type.shape->size(), 3u);
  }
  auto plain = Make(m, OptimizationLevel::kDisabled);
  ASSERT_TRUE(plain);
  ExpectSameOutputs(*plain, *loaded.value());
}

}  // namespace
}  // namespace onyx::transformer_test
