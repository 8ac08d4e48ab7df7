// FuseGelu and FuseBiasGelu: the erf and tanh GELU forms in every association, with the bias Add before them;
// near misses are left alone.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

#include "unit/optimizer_transformer_models.h"

namespace onyx::transformer_test {
namespace {

TEST(OptimizerTransformerGelu, ErfAndTanhFormsInEveryAssociation) {
  for (bool tanh : {false, true}) {
    for (int association = 0; association < 3; ++association) {
      for (bool variant : {false, true}) {
        GeluForm f;
        f.tanh = tanh;
        f.association = association;
        f.mul_scale = variant;
        f.commuted = variant;
        f.cube_by_mul = variant;
        f.sum_op = variant;
        SCOPED_TRACE(testing::Message() << "tanh " << tanh << " association " << association << " variant " << variant);
        auto m = GeluModel(f);
        ExpectFused(m, {{"Gelu", 1}});
        auto s = Make(m, OptimizationLevel::kExtended);
        ASSERT_TRUE(s);
        for (const auto& n : s->model().graph->nodes()) {
          ASSERT_EQ(n->domain(), "com.onyx");
          EXPECT_EQ(n->attribute("approximate")->s, tanh ? "tanh" : "none");
        }
      }
    }
  }
}

// (x * (1 + erf)) * 0.5 then MatMul: FuseMatMulScale moves the 0.5 into the MatMul first; FuseGelu takes it
// back (times 3 here, merged into the same alpha by the basic level).
TEST(OptimizerTransformerGelu, HalfMovedIntoFollowingMatMulIsTakenBack) {
  for (bool extra_scale : {false, true}) {
    std::mt19937 rng(4);
    proto::ModelProto m = BaseModel();
    auto* g = m.mutable_graph();
    test::SetTensorType(g->add_input(), "X", 1, {2, 3, 8});
    AppendGelu(g, "X", "gelu", GeluForm{}, "");
    std::string in = "gelu";
    if (extra_scale) {
      Scalar(g, "three", 3.0f);
      Node(g, "Mul", {"gelu", "three"}, "gelu3");
      in = "gelu3";
    }
    AddFloatInit(g, "W", {8, 5}, rng);
    Node(g, "MatMul", {in, "W"}, "Y");
    test::SetTensorType(g->add_output(), "Y", 1, {2, 3, 5});
    ExpectFused(m, extra_scale ? Counts{{"Gelu", 1}, {"FusedMatMul", 1}} : Counts{{"Gelu", 1}, {"MatMul", 1}});
  }
}

TEST(OptimizerTransformerGelu, WrongConstantsOrSharedValuesLeftAlone) {
  GeluForm wrong_half;
  wrong_half.half = 0.6f;
  GeluForm wrong_sqrt2;
  wrong_sqrt2.sqrt2 = 1.5f;
  GeluForm shared;
  shared.act_is_output = true;
  for (const GeluForm& f : {wrong_half, wrong_sqrt2, shared}) {
    ExpectUnfused(GeluModel(f), {"Erf"}, {"Gelu"});
  }
}

TEST(OptimizerTransformerBiasGelu, BiasAddAndGeluFuse) {
  ExpectFused(BiasGeluModel(false), {{"MatMul", 1}, {"BiasGelu", 1}});
  ExpectFused(BiasGeluModel(true), {{"MatMul", 1}, {"BiasGelu", 1}});
}

TEST(OptimizerTransformerBiasGelu, NonConstantOrBroadcastBiasLeftAlone) {
  ExpectUnfused(BiasGeluModel(false, /*bias_constant=*/false), {"Add", "Gelu"}, {"BiasGelu"});
  ExpectUnfused(BiasGeluModel(false, true, /*scalar_bias=*/true), {"Add", "Gelu"}, {"BiasGelu"});
}

}  // namespace
}  // namespace onyx::transformer_test
