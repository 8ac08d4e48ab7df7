#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

namespace {

std::vector<float> Normalize(const std::vector<float>& x, int64_t c, int64_t spatial, const std::vector<float>& scale,
                             const std::vector<float>& bias, const std::vector<float>& mean,
                             const std::vector<float>& var, float eps) {
  std::vector<float> y(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const size_t ch = (i / spatial) % c;
    y[i] = (x[i] - mean[ch]) / std::sqrt(var[ch] + eps) * scale[ch] + bias[ch];
  }
  return y;
}

}  // namespace

TEST(BatchNormalization, InferencePerChannel) {
  const std::vector<float> x = {-1, 0, 1, 2, 3, 4, 5, 6, -2, -3, 7, 8};
  const std::vector<float> scale = {1.0f, 1.5f}, bias = {0, 1}, mean = {0, 3}, var = {1, 1.5f};
  OpTest t("BatchNormalization", 15);
  t.AddInput<float>("X", {2, 2, 3}, x);
  t.AddInput<float>("scale", {2}, scale);
  t.AddInput<float>("B", {2}, bias);
  t.AddInput<float>("mean", {2}, mean);
  t.AddInput<float>("var", {2}, var);
  t.AddAttr("epsilon", 1e-2f);
  t.AddOutput<float>("Y", {2, 2, 3}, Normalize(x, 2, 3, scale, bias, mean, var, 1e-2f));
  t.Run();
}

TEST(BatchNormalization, OldOpsetAttributesAccepted) {
  const std::vector<float> x = {1, 2, 3, 4};
  OpTest t("BatchNormalization", 6);
  t.AddInput<float>("X", {1, 2, 2}, x);
  t.AddInput<float>("scale", {2}, {1, 2});
  t.AddInput<float>("B", {2}, {0, 0});
  t.AddInput<float>("mean", {2}, {1, 2});
  t.AddInput<float>("var", {2}, {4, 16});
  t.AddAttr("is_test", int64_t{1});
  t.AddAttr("spatial", int64_t{1});
  t.AddAttr("epsilon", 0.0f);
  t.AddOutput<float>("Y", {1, 2, 2}, {0, 0.5f, 0.5f, 1});
  t.Run();
}

TEST(BatchNormalization, ConsumedInputsAtOpset1) {
  OpTest t("BatchNormalization", 1);
  t.AddInput<float>("X", {1, 1, 2}, {2, 4});
  t.AddInput<float>("scale", {1}, {1});
  t.AddInput<float>("B", {1}, {1});
  t.AddInput<float>("mean", {1}, {3});
  t.AddInput<float>("var", {1}, {1});
  t.AddAttr("consumed_inputs", std::vector<int64_t>{0, 0, 0, 1, 1});
  t.AddAttr("is_test", int64_t{1});
  t.AddAttr("epsilon", 0.0f);
  t.AddOutput<float>("Y", {1, 1, 2}, {0, 2});
  t.Run();
}

TEST(BatchNormalization, NotSpatialHasParametersPerPosition) {
  OpTest t("BatchNormalization", 7);
  t.AddInput<float>("X", {1, 1, 2}, {2, 4});
  t.AddInput<float>("scale", {1, 2}, {1, 2});
  t.AddInput<float>("B", {1, 2}, {0, 1});
  t.AddInput<float>("mean", {1, 2}, {1, 2});
  t.AddInput<float>("var", {1, 2}, {1, 4});
  t.AddAttr("spatial", int64_t{0});
  t.AddAttr("epsilon", 0.0f);
  t.AddOutput<float>("Y", {1, 1, 2}, {1, 3});
  t.Run();
}

TEST(BatchNormalization, DoubleAndMixedParameterTypes) {
  OpTest t("BatchNormalization", 15);
  t.AddInput<double>("X", {1, 2}, {3, 5});
  t.AddInput<double>("scale", {2}, {2, 1});
  t.AddInput<double>("B", {2}, {1, 1});
  t.AddInput<float>("mean", {2}, {1, 1});
  t.AddInput<float>("var", {2}, {4, 16});
  t.AddAttr("epsilon", 0.0f);
  t.AddOutput<double>("Y", {1, 2}, {3, 2});
  t.Run();
}

TEST(BatchNormalization, TrainingModeUsesBatchStatistics) {
  // Channel 0 holds {1, 3}: mean 2, variance 1. Channel 1 holds {2, 4}: mean 3,
  // variance 1.
  OpTest t("BatchNormalization", 15);
  t.AddInput<float>("X", {2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("scale", {2}, {1, 1});
  t.AddInput<float>("B", {2}, {0, 0});
  t.AddInput<float>("mean", {2}, {0, 0});
  t.AddInput<float>("var", {2}, {1, 1});
  t.AddAttr("epsilon", 0.0f);
  t.AddAttr("momentum", 0.5f);
  t.AddAttr("training_mode", int64_t{1});
  t.SetTolerance(1e-4, 1e-4);
  t.AddOutput<float>("Y", {2, 2}, {-1, -1, 1, 1});
  t.AddOutput<float>("running_mean", {2}, {1, 1.5f});
  t.AddOutput<float>("running_var", {2}, {1, 1});
  t.Run();
}

TEST(BatchNormalization, WrongParameterLengthIsAnError) {
  OpTest t("BatchNormalization", 15);
  t.AddInput<float>("X", {1, 2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("scale", {3}, {1, 1, 1});
  t.AddInput<float>("B", {2}, {0, 0});
  t.AddInput<float>("mean", {2}, {0, 0});
  t.AddInput<float>("var", {2}, {1, 1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("scale");
}

}  // namespace onyx::test
