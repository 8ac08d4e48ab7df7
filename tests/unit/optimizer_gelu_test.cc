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

// JAX/Flax writes 0.044715 x^3 as x * (x * (0.044715 * x)) (magika_standard_v3_3); a wrong constant or a
// fourth power in the chain is left alone.
TEST(OptimizerTransformerGelu, JaxCubeChainFuses) {
  for (int association = 0; association < 3; ++association) {
    for (bool commuted : {false, true}) {
      GeluForm f;
      f.tanh = true;
      f.jax_cube = true;
      f.association = association;
      f.commuted = commuted;
      SCOPED_TRACE(testing::Message() << "association " << association << " commuted " << commuted);
      ExpectFused(GeluModel(f), {{"Gelu", 1}});
    }
  }
}

TEST(OptimizerTransformerGelu, JaxCubeChainNearMissesLeftAlone) {
  // The constant of the cube term off by 10%.
  proto::ModelProto wrong = BaseModel();
  {
    auto* g = wrong.mutable_graph();
    test::SetTensorType(g->add_input(), "X", 1, {2, 3, 8});
    GeluForm f;
    f.tanh = true;
    f.jax_cube = true;
    AppendGelu(g, "X", "Y", f, "");
    for (auto& t : *g->mutable_initializer()) {
      if (t.name() == "k") t.set_float_data(0, 0.049f);
    }
    test::SetTensorType(g->add_output(), "Y", 1, {2, 3, 8});
  }
  ExpectUnfused(wrong, {"Tanh"}, {"Gelu"});
  // x^4 * 0.044715: one more x in the chain.
  proto::ModelProto fourth = BaseModel();
  {
    auto* g = fourth.mutable_graph();
    test::SetTensorType(g->add_input(), "X", 1, {2, 3, 8});
    Scalar(g, "k", 0.044715f);
    Node(g, "Mul", {"k", "X"}, "kx");
    Node(g, "Mul", {"X", "kx"}, "kx2");
    Node(g, "Mul", {"X", "kx2"}, "kx3");
    Node(g, "Mul", {"X", "kx3"}, "kx4");
    Node(g, "Add", {"X", "kx4"}, "inner");
    Scalar(g, "s2pi", 0.7978846f);
    Node(g, "Mul", {"inner", "s2pi"}, "u");
    Node(g, "Tanh", {"u"}, "act");
    Scalar(g, "one", 1.0f);
    Node(g, "Add", {"act", "one"}, "a");
    Node(g, "Mul", {"X", "a"}, "xa");
    Scalar(g, "half", 0.5f);
    Node(g, "Mul", {"xa", "half"}, "Y");
    test::SetTensorType(g->add_output(), "Y", 1, {2, 3, 8});
  }
  ExpectUnfused(fourth, {"Tanh"}, {"Gelu"});
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
