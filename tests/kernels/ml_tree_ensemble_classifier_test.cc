// Generated expected values come from the ONNX reference evaluator (onnx.reference).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

TEST(MlTreeEnsembleClassifier, ThreeClasses) {
  OpTest t("TreeEnsembleClassifier", 1, "ai.onnx.ml");
  t.AddAttr("nodes_treeids", std::vector<int64_t>{0, 0, 0, 0, 0, 1, 1, 1});
  t.AddAttr("nodes_nodeids", std::vector<int64_t>{0, 1, 2, 3, 4, 0, 1, 2});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 0, 1, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_modes",
            std::vector<std::string>{"BRANCH_LEQ", "LEAF", "BRANCH_LT", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "LEAF"});
  t.AddAttr("nodes_values", std::vector<float>{0.5f, 0.0f, 3.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f});
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{1, 0, 3, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{2, 0, 4, 0, 0, 2, 0, 0});
  t.AddAttr("nodes_missing_value_tracks_true", std::vector<int64_t>{0, 0, 0, 0, 0, 0, 0, 0});
  t.AddAttr("class_treeids", std::vector<int64_t>{0, 0, 0, 1, 1, 0});
  t.AddAttr("class_nodeids", std::vector<int64_t>{1, 3, 4, 1, 2, 1});
  t.AddAttr("class_ids", std::vector<int64_t>{0, 1, 2, 0, 2, 1});
  t.AddAttr("class_weights", std::vector<float>{0.6f, 0.7f, 0.9f, 0.3f, 0.4f, 0.2f});
  t.AddAttr("classlabels_int64s", std::vector<int64_t>{5, 6, 7});
  t.AddInput<float>("X", {4, 2}, {0.0f, 0.0f, 1.0f, 2.0f, 1.0f, 5.0f, NAN, 2.0f});
  t.AddOutput<int64_t>("Y", {4}, {5, 6, 7, 6});
  t.AddOutput<float>("Z", {4, 3}, {0.6f, 0.2f, 0.4f, 0.3f, 0.7f, 0.0f, 0.3f, 0.0f, 0.9f, 0.3f, 0.7f, 0.0f});
  t.Run();
}

TEST(MlTreeEnsembleClassifier, StringsSoftmaxBase) {
  OpTest t("TreeEnsembleClassifier", 3, "ai.onnx.ml");
  t.AddAttr("nodes_treeids", std::vector<int64_t>{0, 0, 0, 0, 0, 1, 1, 1});
  t.AddAttr("nodes_nodeids", std::vector<int64_t>{0, 1, 2, 3, 4, 0, 1, 2});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 0, 1, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_modes",
            std::vector<std::string>{"BRANCH_LEQ", "LEAF", "BRANCH_LT", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "LEAF"});
  t.AddAttr("nodes_values", std::vector<float>{0.5f, 0.0f, 3.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f});
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{1, 0, 3, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{2, 0, 4, 0, 0, 2, 0, 0});
  t.AddAttr("nodes_missing_value_tracks_true", std::vector<int64_t>{0, 0, 0, 0, 0, 0, 0, 0});
  t.AddAttr("class_treeids", std::vector<int64_t>{0, 0, 0, 1, 1, 0});
  t.AddAttr("class_nodeids", std::vector<int64_t>{1, 3, 4, 1, 2, 1});
  t.AddAttr("class_ids", std::vector<int64_t>{0, 1, 2, 0, 2, 1});
  t.AddAttr("class_weights", std::vector<float>{0.6f, 0.7f, 0.9f, 0.3f, 0.4f, 0.2f});
  t.AddAttr("classlabels_strings", std::vector<std::string>{"a", "b", "c"});
  t.AddAttr("post_transform", std::string("SOFTMAX"));
  t.AddAttr("base_values", std::vector<float>{0.1f, 0.2f, 0.3f});
  t.AddInput<double>("X", {4, 2}, {0.0, 0.0, 1.0, 2.0, 1.0, 5.0, NAN, 2.0});
  t.AddOutput<std::string>("Y", {4}, {"a", "b", "c", "b"});
  t.AddOutput<float>("Z", {4, 3},
                     {0.36485457f, 0.27029088f, 0.36485457f, 0.28140804f, 0.46396342f, 0.25462854f, 0.24726331f,
                      0.20244208f, 0.55029464f, 0.28140804f, 0.46396342f, 0.25462854f});
  t.Run();
}

TEST(MlTreeEnsembleClassifier, BinaryProbabilities) {
  OpTest t("TreeEnsembleClassifier", 1, "ai.onnx.ml");
  t.AddAttr("nodes_treeids", std::vector<int64_t>{0, 0, 0, 0, 0, 1, 1, 1});
  t.AddAttr("nodes_nodeids", std::vector<int64_t>{0, 1, 2, 3, 4, 0, 1, 2});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 0, 1, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_modes",
            std::vector<std::string>{"BRANCH_LEQ", "LEAF", "BRANCH_LT", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "LEAF"});
  t.AddAttr("nodes_values", std::vector<float>{0.5f, 0.0f, 3.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f});
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{1, 0, 3, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{2, 0, 4, 0, 0, 2, 0, 0});
  t.AddAttr("nodes_missing_value_tracks_true", std::vector<int64_t>{0, 0, 0, 0, 0, 0, 0, 0});
  t.AddAttr("class_treeids", std::vector<int64_t>{0, 0, 0, 1, 1});
  t.AddAttr("class_nodeids", std::vector<int64_t>{1, 3, 4, 1, 2});
  t.AddAttr("class_ids", std::vector<int64_t>{0, 0, 0, 0, 0});
  t.AddAttr("class_weights", std::vector<float>{0.1f, 0.3f, 0.2f, 0.3f, 0.35f});
  t.AddAttr("classlabels_int64s", std::vector<int64_t>{0, 1});
  t.AddInput<float>("X", {4, 2}, {0.0f, 0.0f, 1.0f, 2.0f, 1.0f, 5.0f, NAN, 2.0f});
  t.AddOutput<int64_t>("Y", {4}, {0, 1, 0, 1});
  t.AddOutput<float>("Z", {4, 2}, {0.55f, 0.45f, 0.39999998f, 0.6f, 0.5f, 0.5f, 0.39999998f, 0.6f});
  t.Run();
}

TEST(MlTreeEnsembleClassifier, BinaryMarginsLogistic) {
  OpTest t("TreeEnsembleClassifier", 3, "ai.onnx.ml");
  t.AddAttr("nodes_treeids", std::vector<int64_t>{0, 0, 0, 0, 0, 1, 1, 1});
  t.AddAttr("nodes_nodeids", std::vector<int64_t>{0, 1, 2, 3, 4, 0, 1, 2});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 0, 1, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_modes",
            std::vector<std::string>{"BRANCH_LEQ", "LEAF", "BRANCH_LT", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "LEAF"});
  t.AddAttr("nodes_values", std::vector<float>{0.5f, 0.0f, 3.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f});
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{1, 0, 3, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{2, 0, 4, 0, 0, 2, 0, 0});
  t.AddAttr("nodes_missing_value_tracks_true", std::vector<int64_t>{0, 0, 0, 0, 0, 0, 0, 0});
  t.AddAttr("class_treeids", std::vector<int64_t>{0, 0, 0, 1, 1});
  t.AddAttr("class_nodeids", std::vector<int64_t>{1, 3, 4, 1, 2});
  t.AddAttr("class_ids", std::vector<int64_t>{0, 0, 0, 0, 0});
  t.AddAttr("class_weights", std::vector<float>{-1.0f, 0.5f, 2.0f, -0.5f, 0.25f});
  t.AddAttr("classlabels_int64s", std::vector<int64_t>{0, 1});
  t.AddAttr("post_transform", std::string("LOGISTIC"));
  t.AddInput<float>("X", {4, 2}, {0.0f, 0.0f, 1.0f, 2.0f, 1.0f, 5.0f, NAN, 2.0f});
  t.AddOutput<int64_t>("Y", {4}, {0, 0, 1, 0});
  t.AddOutput<float>("Z", {4, 2}, {0.6791787f, 0.32082132f, 0.5f, 0.5f, 0.18242553f, 0.8175745f, 0.5f, 0.5f});
  t.Run();
}

TEST(MlTreeEnsembleClassifier, ClassIdOutOfRange) {
  OpTest t("TreeEnsembleClassifier", 1, "ai.onnx.ml");
  t.AddAttr("nodes_treeids", std::vector<int64_t>{0, 0, 0});
  t.AddAttr("nodes_nodeids", std::vector<int64_t>{0, 1, 2});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 0, 0});
  t.AddAttr("nodes_modes", std::vector<std::string>{"BRANCH_LEQ", "LEAF", "LEAF"});
  t.AddAttr("nodes_values", std::vector<float>{0.5f, 0.0f, 0.0f});
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{1, 0, 0});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{2, 0, 0});
  t.AddAttr("class_treeids", std::vector<int64_t>{0});
  t.AddAttr("class_nodeids", std::vector<int64_t>{1});
  t.AddAttr("class_ids", std::vector<int64_t>{2});
  t.AddAttr("class_weights", std::vector<float>{1.0f});
  t.AddAttr("classlabels_int64s", std::vector<int64_t>{0, 1});
  t.AddInput<float>("X", {1, 1}, {1});
  t.AddOutputUnchecked("Y");
  t.AddOutputUnchecked("Z");
  t.RunExpectError("class_ids");
}

}  // namespace
}  // namespace onyx::test
