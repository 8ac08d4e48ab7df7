// ai.onnx.preview FlexAttention: expected values computed with numpy (softmax(Q K^T * scale) V, with the
// modifier applied to the scores or probabilities).
#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

namespace {

constexpr const char* kDomain = "ai.onnx.preview";

void AddQkv(OpTest& t, int q_heads = 1) {
  if (q_heads == 1) {
    t.AddInput<float>("Q", {1, 1, 3, 2}, {0.1f, 0.2f, 0.3f, -0.4f, 0.5f, 0.6f});
  } else {
    t.AddInput<float>("Q", {1, 2, 3, 2}, {0.1f, 0.2f, 0.3f, -0.4f, 0.5f, 0.6f, 0.7f, -0.8f, 0.9f, 1.0f, -1.1f, 1.2f});
  }
  t.AddInput<float>("K", {1, 1, 3, 2}, {0.3f, -0.1f, 0.2f, 0.4f, -0.5f, 0.1f});
  t.AddInput<float>("V", {1, 1, 3, 2}, {1, 2, 3, 4, 5, 6});
}

// A modifier subgraph applying one unary operator to its rank-4 float input.
std::shared_ptr<ir::Graph> UnaryBody(const std::string& op, int inputs = 1) {
  auto g = std::make_shared<ir::Graph>();
  g->set_name(op + "_mod");
  for (int i = 0; i < inputs; ++i) {
    EXPECT_TRUE(g->AddInput("s" + std::to_string(i), ir::Type::Tensor(DataType::kFloat)).ok());
  }
  g->AddNode("mod", op, "", 21, {"s0"}, {"m"}, {});
  EXPECT_TRUE(g->AddOutput("m", ir::Type::Tensor(DataType::kFloat)).ok());
  return g;
}

}  // namespace

TEST(FlexAttention, DefaultScaleIsInverseSqrtHeadSize) {
  OpTest t("FlexAttention", 1, kDomain);
  AddQkv(t);
  t.AddOutput<float>("Y", {1, 1, 3, 2}, {2.98164f, 3.98164f, 2.84702f, 3.84702f, 2.8808f, 3.8808f});
  t.Run();
}

TEST(FlexAttention, ExplicitScale) {
  OpTest t("FlexAttention", 1, kDomain);
  t.AddAttr("scale", 3.0f);
  AddQkv(t);
  t.AddOutput<float>("Y", {1, 1, 3, 2}, {2.92926f, 3.92926f, 2.34506f, 3.34506f, 2.67972f, 3.67972f});
  t.Run();
}

TEST(FlexAttention, GroupedQueryHeadsShareKv) {
  OpTest t("FlexAttention", 1, kDomain);
  AddQkv(t, /*q_heads=*/2);
  t.AddOutput<float>("Y", {1, 2, 3, 2},
                     {2.98164f, 3.98164f, 2.84702f, 3.84702f, 2.8808f, 3.8808f, 2.6558f, 3.6558f, 2.79682f, 3.79682f,
                      3.49702f, 4.49702f});
  t.Run();
}

TEST(FlexAttention, ScoreModRewritesScores) {
  OpTest t("FlexAttention", 1, kDomain);
  t.AddAttr("scale", 4.0f);
  t.AddAttr("score_mod", UnaryBody("Tanh"));
  AddQkv(t);
  t.AddOutput<float>("Y", {1, 1, 3, 2}, {2.90953f, 3.90953f, 2.23086f, 3.23086f, 2.59202f, 3.59202f});
  t.Run();
}

TEST(FlexAttention, ProbModRewritesProbabilities) {
  OpTest t("FlexAttention", 1, kDomain);
  t.AddAttr("prob_mod", UnaryBody("Sqrt"));
  AddQkv(t);
  t.AddOutput<float>("Y", {1, 1, 3, 2}, {5.17907f, 6.9108f, 5.05865f, 6.78869f, 5.07253f, 6.79956f});
  t.Run();
}

TEST(FlexAttention, RankThreeInputIsAnError) {
  OpTest t("FlexAttention", 1, kDomain);
  t.AddInput<float>("Q", {1, 3, 2}, {0.1f, 0.2f, 0.3f, -0.4f, 0.5f, 0.6f});
  t.AddInput<float>("K", {1, 3, 2}, {0.3f, -0.1f, 0.2f, 0.4f, -0.5f, 0.1f});
  t.AddInput<float>("V", {1, 3, 2}, {1, 2, 3, 4, 5, 6});
  t.AddOutput<float>("Y", {1, 3, 2}, {0, 0, 0, 0, 0, 0});
  t.RunExpectError("4-D");
}

TEST(FlexAttention, HeadsNotAMultipleIsAnError) {
  OpTest t("FlexAttention", 1, kDomain);
  t.AddInput<float>("Q", {1, 3, 1, 2}, {0.1f, 0.2f, 0.3f, -0.4f, 0.5f, 0.6f});
  t.AddInput<float>("K", {1, 2, 1, 2}, {0.3f, -0.1f, 0.2f, 0.4f});
  t.AddInput<float>("V", {1, 2, 1, 2}, {1, 2, 3, 4});
  t.AddOutput<float>("Y", {1, 3, 1, 2}, {0, 0, 0, 0, 0, 0});
  t.RunExpectError("multiple");
}

TEST(FlexAttention, ModifierWithTwoInputsIsAnError) {
  OpTest t("FlexAttention", 1, kDomain);
  t.AddAttr("score_mod", UnaryBody("Tanh", /*inputs=*/2));
  AddQkv(t);
  t.AddOutput<float>("Y", {1, 1, 3, 2}, {0, 0, 0, 0, 0, 0});
  t.RunExpectError("one input");
}

}  // namespace onyx::test

namespace onyx::test {
namespace {

// The float path (GEMM, vectorized softmax) against the double reference, which softmax_precision = double
// selects for the same float inputs.
std::vector<Value> RunFlex(int64_t precision) {
  OpTest t("FlexAttention", 1, kDomain);
  if (precision) t.AddAttr("softmax_precision", precision);
  auto fill = [](const Shape& s, float step) {
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    std::vector<float> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = std::sin(static_cast<float>(i) * step);
    return v;
  };
  t.AddInput<float>("Q", {2, 4, 9, 16}, fill({2, 4, 9, 16}, 0.37f));
  t.AddInput<float>("K", {2, 2, 21, 16}, fill({2, 2, 21, 16}, 0.53f));
  t.AddInput<float>("V", {2, 2, 21, 8}, fill({2, 2, 21, 8}, 0.71f));
  t.AddOutputUnchecked("Y");
  return t.RunAndGet();
}

TEST(FlexAttention, FloatPathMatchesDoubleReference) {
  const std::vector<Value> fast = RunFlex(0);
  const std::vector<Value> ref = RunFlex(static_cast<int64_t>(DataType::kDouble));
  ASSERT_EQ(fast.size(), 1u);
  ASSERT_EQ(ref.size(), 1u);
  const Tensor& a = fast[0].tensor();
  const Tensor& b = ref[0].tensor();
  ASSERT_EQ(a.shape(), b.shape());
  for (int64_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(a.data<float>()[i], b.data<float>()[i], 2e-5 + 2e-5 * std::fabs(b.data<float>()[i])) << i;
  }
}

}  // namespace
}  // namespace onyx::test
