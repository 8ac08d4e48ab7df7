// FuseLayerNorm: layer normalization written out becomes one LayerNormalization; near misses are left alone.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

#include "unit/optimizer_transformer_models.h"

namespace onyx::transformer_test {
namespace {

TEST(OptimizerTransformerLayerNorm, PyTorchExportBecomesStandardLayerNorm) {
  auto m = LayerNormModel({});
  ExpectFused(m, {{"LayerNormalization", 1}});
  EXPECT_EQ(DomainOf(*Make(m, OptimizationLevel::kExtended), "LayerNormalization"), "");
}

TEST(OptimizerTransformerLayerNorm, OldOpsetUsesOnyxDomain) {
  LnForm f;
  f.opset = 13;
  auto m = LayerNormModel(f);
  ExpectFused(m, {{"LayerNormalization", 1}});
  EXPECT_EQ(DomainOf(*Make(m, OptimizationLevel::kExtended), "LayerNormalization"), "com.onyx");
}

TEST(OptimizerTransformerLayerNorm, Variants) {
  std::vector<LnForm> forms(7);
  forms[0].opset = 18;  // axes as an input
  forms[1].square_by_mul = true;
  forms[2].reciprocal = true;
  forms[2].commuted = true;
  forms[3].two_subs = true;
  forms[4].gamma = forms[4].beta = false;
  forms[5].beta = false;
  forms[5].opset = 13;
  forms[6].axes = 2;
  for (size_t i = 0; i < forms.size(); ++i) {
    SCOPED_TRACE("variant " + std::to_string(i));
    ExpectFused(LayerNormModel(forms[i]), {{"LayerNormalization", 1}});
  }
}

TEST(OptimizerTransformerLayerNorm, NearMissesLeftAlone) {
  LnForm non_last;
  non_last.non_last_axis = true;
  LnForm read_elsewhere;
  read_elsewhere.diff_is_output = true;
  LnForm cube;
  cube.exponent = 3.0f;
  for (const LnForm& f : {non_last, read_elsewhere, cube}) {
    ExpectUnfused(LayerNormModel(f), {"ReduceMean", "Sqrt"}, {"LayerNormalization"});
  }
}

TEST(OptimizerTransformerLayerNorm, RealModelLayerNormsFuse) {
  const std::string path = std::string(ONYX_SOURCE_DIR) + "/../shared/models/openwakeword_hello_deepa/model.onnx";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not found";
  SessionOptions o;
  o.intra_op_threads = 1;
  o.optimization_level = OptimizationLevel::kDisabled;
  auto plain = Session::Create(path, o);
  o.optimization_level = OptimizationLevel::kExtended;
  auto fused = Session::Create(path, o);
  ASSERT_TRUE(plain.ok() && fused.ok());
  auto counts = OpCounts(*fused.value());
  EXPECT_EQ(counts["LayerNormalization"], 2);
  EXPECT_EQ(counts.count("ReduceMean"), 0u);
  ExpectSameOutputs(*plain.value(), *fused.value());
}

}  // namespace
}  // namespace onyx::transformer_test
