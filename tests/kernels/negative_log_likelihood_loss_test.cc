#include "kernels/op_test.h"

namespace onyx::test {
namespace {

const std::vector<float> kInput = {1, 2, 2, 2, 3, 2, 0, 1, 2, 2, 1, 2};  // [2, 3, 2]
const std::vector<int64_t> kTarget = {2, 1, 0, 2};                       // [2, 2]
const std::vector<float> kWeight = {0.2f, 0.3f, 0.1f};

}  // namespace

TEST(NegativeLogLikelihoodLoss, Reductions) {
  OpTest none("NegativeLogLikelihoodLoss", 13);
  none.AddAttr("reduction", std::string("none"));
  none.AddInput<float>("input", {2, 3, 2}, kInput);
  none.AddInput<int64_t>("target", {2, 2}, kTarget);
  none.AddInput<float>("weight", {3}, kWeight);
  none.AddOutput<float>("loss", {2, 2}, {-0.3f, -0.6f, 0.0f, -0.2f});
  none.Run();
  OpTest sum("NegativeLogLikelihoodLoss", 13);
  sum.AddAttr("reduction", std::string("sum"));
  sum.AddInput<float>("input", {2, 3, 2}, kInput);
  sum.AddInput<int64_t>("target", {2, 2}, kTarget);
  sum.AddInput<float>("weight", {3}, kWeight);
  sum.AddOutput<float>("loss", {}, {-1.1f});
  sum.Run();
  OpTest mean("NegativeLogLikelihoodLoss", 22);
  mean.AddInput<float>("input", {2, 3, 2}, kInput);
  mean.AddInput<int64_t>("target", {2, 2}, kTarget);
  mean.AddInput<float>("weight", {3}, kWeight);
  mean.AddOutput<float>("loss", {}, {-1.5714285f});
  mean.Run();
}

TEST(NegativeLogLikelihoodLoss, IgnoreIndexInt32TargetAndDouble) {
  OpTest t("NegativeLogLikelihoodLoss", 13);
  t.AddAttr("ignore_index", int64_t{2});
  t.AddInput<float>("input", {2, 3, 2}, kInput);
  t.AddInput<int32_t>("target", {2, 2}, {2, 1, 0, 2});
  t.AddInput<float>("weight", {3}, kWeight);
  t.AddOutput<float>("loss", {}, {-1.2f});
  t.Run();
  OpTest d("NegativeLogLikelihoodLoss", 12);
  d.AddInput<double>("input", {2, 2}, {-1, -2, -3, -4});
  d.AddInput<int64_t>("target", {2}, {1, 0});
  d.AddOutput<double>("loss", {}, {2.5});
  d.Run();
}

TEST(NegativeLogLikelihoodLoss, Errors) {
  OpTest t("NegativeLogLikelihoodLoss", 13);
  t.AddInput<float>("input", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int64_t>("target", {2}, {0, 3});
  t.AddOutputUnchecked("y");
  t.RunExpectError("outside");
  OpTest s("NegativeLogLikelihoodLoss", 13);
  s.AddInput<float>("input", {2, 3}, {1, 2, 3, 4, 5, 6});
  s.AddInput<int64_t>("target", {3}, {0, 1, 2});
  s.AddOutputUnchecked("y");
  s.RunExpectError("target shape");
  OpTest r("NegativeLogLikelihoodLoss", 13);
  r.AddAttr("reduction", std::string("max"));
  r.AddInput<float>("input", {2, 3}, {1, 2, 3, 4, 5, 6});
  r.AddInput<int64_t>("target", {2}, {0, 1});
  r.AddOutputUnchecked("y");
  r.RunExpectError("reduction");
}

}  // namespace onyx::test
