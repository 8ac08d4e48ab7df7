#include "kernels/op_test.h"

namespace onyx::test {

TEST(SoftmaxCrossEntropyLoss, MeanWithLogProb) {
  OpTest t("SoftmaxCrossEntropyLoss", 13);
  t.AddInput<float>("scores", {2, 3}, {0.5f, 1.0f, -1.0f, 2.0f, 0.0f, 0.3f});
  t.AddInput<int32_t>("labels", {2}, {2, 0});
  t.AddOutput<float>("output", {}, {1.4155433f});
  t.AddOutput<float>("log_prob", {2, 3}, {-1.0549569f, -0.554957f, -2.554957f, -0.27612972f, -2.2761297f, -1.9761298f});
  t.Run();
}

TEST(SoftmaxCrossEntropyLoss, NoneWithWeightsAndIgnoreIndex) {
  OpTest t("SoftmaxCrossEntropyLoss", 12);
  t.AddAttr("reduction", std::string("none"));
  t.AddInput<float>("scores", {2, 3}, {0.5f, 1.0f, -1.0f, 2.0f, 0.0f, 0.3f});
  t.AddInput<int64_t>("labels", {2}, {2, 0});
  t.AddInput<float>("weights", {3}, {1, 2, 3});
  t.AddOutput<float>("output", {2}, {7.6648707f, 0.27612972f});
  t.Run();
  OpTest i("SoftmaxCrossEntropyLoss", 13);
  i.AddAttr("ignore_index", int64_t{0});
  i.AddInput<float>("scores", {2, 3}, {0.5f, 1.0f, -1.0f, 2.0f, 0.0f, 0.3f});
  i.AddInput<int64_t>("labels", {2}, {2, 0});
  i.AddOutput<float>("output", {}, {2.554957f});
  i.Run();
}

TEST(SoftmaxCrossEntropyLoss, SpatialSum) {
  // [N=1, C=2, D=2]: log_softmax along C for each position.
  OpTest t("SoftmaxCrossEntropyLoss", 13);
  t.AddAttr("reduction", std::string("sum"));
  t.AddInput<float>("scores", {1, 2, 2}, {0, 1, 1, 0});
  t.AddInput<int64_t>("labels", {1, 2}, {1, 1});
  t.AddOutput<float>("output", {}, {0.31326169f + 1.31326169f});
  t.Run();
}

TEST(SoftmaxCrossEntropyLoss, Errors) {
  OpTest t("SoftmaxCrossEntropyLoss", 13);
  t.AddInput<float>("scores", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int64_t>("labels", {2}, {-1, 0});
  t.AddOutputUnchecked("y");
  t.RunExpectError("outside");
}

}  // namespace onyx::test
