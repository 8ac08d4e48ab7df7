// FuseSkipLayerNorm: the residual Add (and the bias before it) with the LayerNormalization after it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

#include "unit/optimizer_transformer_models.h"

namespace onyx::transformer_test {
namespace {

TEST(OptimizerTransformerSkipLayerNorm, ResidualAddAndLayerNormFuse) {
  ExpectFused(SkipModel({}), {{"SkipLayerNormalization", 1}});
  SkipForm bias;
  bias.bias = true;
  ExpectFused(SkipModel(bias), {{"MatMul", 1}, {"SkipLayerNormalization", 1}});
  SkipForm broadcast;
  broadcast.skip_broadcast = true;
  ExpectFused(SkipModel(broadcast), {{"SkipLayerNormalization", 1}});
  SkipForm decomposed;
  decomposed.decomposed = true;
  decomposed.opset = 13;
  decomposed.bias = true;
  ExpectFused(SkipModel(decomposed), {{"MatMul", 1}, {"SkipLayerNormalization", 1}});
}

TEST(OptimizerTransformerSkipLayerNorm, SumReadElsewhereBecomesOutput) {
  SkipForm f;
  f.sum_read = true;
  f.bias = true;
  auto m = SkipModel(f);
  ExpectFused(m, {{"MatMul", 1}, {"SkipLayerNormalization", 1}, {"Relu", 1}});
  auto s = Make(m, OptimizationLevel::kExtended);
  ASSERT_TRUE(s);
  for (const auto& n : s->model().graph->nodes()) {
    if (n->op_type() == "SkipLayerNormalization") {
      ASSERT_EQ(n->outputs().size(), 4u);
      EXPECT_EQ(n->output(3)->name(), "s");
    }
  }
}

TEST(OptimizerTransformerSkipLayerNorm, NonLastAxisOrMiddleBroadcastLeftAlone) {
  SkipForm axis;
  axis.axis = 1;
  ExpectUnfused(SkipModel(axis), {"Add", "LayerNormalization"}, {"SkipLayerNormalization"});
  SkipForm middle;
  middle.middle_broadcast = true;
  ExpectUnfused(SkipModel(middle), {"Add", "LayerNormalization"}, {"SkipLayerNormalization"});
}

}  // namespace
}  // namespace onyx::transformer_test
