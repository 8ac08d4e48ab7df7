// Generated expected values come from the ONNX reference evaluator (onnx.reference).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

TEST(MlTreeEnsembleRegressor, Sum) {
  OpTest t("TreeEnsembleRegressor", 1, "ai.onnx.ml");
  t.AddAttr("nodes_treeids", std::vector<int64_t>{0, 0, 0, 0, 0, 1, 1, 1});
  t.AddAttr("nodes_nodeids", std::vector<int64_t>{0, 1, 2, 3, 4, 0, 1, 2});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 0, 1, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_modes",
            std::vector<std::string>{"BRANCH_LEQ", "LEAF", "BRANCH_LT", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "LEAF"});
  t.AddAttr("nodes_values", std::vector<float>{0.5f, 0.0f, 3.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f});
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{1, 0, 3, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{2, 0, 4, 0, 0, 2, 0, 0});
  t.AddAttr("nodes_missing_value_tracks_true", std::vector<int64_t>{0, 0, 0, 0, 0, 0, 0, 0});
  t.AddAttr("target_treeids", std::vector<int64_t>{0, 0, 0, 1, 1, 0});
  t.AddAttr("target_nodeids", std::vector<int64_t>{1, 3, 4, 1, 2, 1});
  t.AddAttr("target_ids", std::vector<int64_t>{0, 0, 1, 0, 1, 1});
  t.AddAttr("target_weights", std::vector<float>{1.0f, 2.0f, 3.0f, 10.0f, 20.0f, 0.5f});
  t.AddAttr("n_targets", int64_t{2});
  t.AddInput<float>("X", {4, 2}, {0.0f, 0.0f, 1.0f, 2.0f, 1.0f, 5.0f, NAN, 2.0f});
  t.AddOutput<float>("Y", {4, 2}, {1.0f, 20.5f, 12.0f, 0.0f, 10.0f, 3.0f, 12.0f, 0.0f});
  t.Run();
}

TEST(MlTreeEnsembleRegressor, AverageBase) {
  OpTest t("TreeEnsembleRegressor", 1, "ai.onnx.ml");
  t.AddAttr("nodes_treeids", std::vector<int64_t>{0, 0, 0, 0, 0, 1, 1, 1});
  t.AddAttr("nodes_nodeids", std::vector<int64_t>{0, 1, 2, 3, 4, 0, 1, 2});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 0, 1, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_modes",
            std::vector<std::string>{"BRANCH_LEQ", "LEAF", "BRANCH_LT", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "LEAF"});
  t.AddAttr("nodes_values", std::vector<float>{0.5f, 0.0f, 3.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f});
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{1, 0, 3, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{2, 0, 4, 0, 0, 2, 0, 0});
  t.AddAttr("nodes_missing_value_tracks_true", std::vector<int64_t>{0, 0, 0, 0, 0, 0, 0, 0});
  t.AddAttr("target_treeids", std::vector<int64_t>{0, 0, 0, 1, 1, 0});
  t.AddAttr("target_nodeids", std::vector<int64_t>{1, 3, 4, 1, 2, 1});
  t.AddAttr("target_ids", std::vector<int64_t>{0, 0, 1, 0, 1, 1});
  t.AddAttr("target_weights", std::vector<float>{1.0f, 2.0f, 3.0f, 10.0f, 20.0f, 0.5f});
  t.AddAttr("n_targets", int64_t{2});
  t.AddAttr("aggregate_function", std::string("AVERAGE"));
  t.AddAttr("base_values", std::vector<float>{100.0f, 200.0f});
  t.AddInput<float>("X", {4, 2}, {0.0f, 0.0f, 1.0f, 2.0f, 1.0f, 5.0f, NAN, 2.0f});
  t.AddOutput<float>("Y", {4, 2}, {100.5f, 210.25f, 106.0f, 200.0f, 105.0f, 201.5f, 106.0f, 200.0f});
  t.Run();
}

// Targets that no leaf reaches give 0 (onnx.reference leaves +-DBL_MAX for MIN and MAX).
TEST(MlTreeEnsembleRegressor, Min) {
  OpTest t("TreeEnsembleRegressor", 3, "ai.onnx.ml");
  t.AddAttr("nodes_treeids", std::vector<int64_t>{0, 0, 0, 0, 0, 1, 1, 1});
  t.AddAttr("nodes_nodeids", std::vector<int64_t>{0, 1, 2, 3, 4, 0, 1, 2});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 0, 1, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_modes",
            std::vector<std::string>{"BRANCH_LEQ", "LEAF", "BRANCH_LT", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "LEAF"});
  t.AddAttr("nodes_values", std::vector<float>{0.5f, 0.0f, 3.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f});
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{1, 0, 3, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{2, 0, 4, 0, 0, 2, 0, 0});
  t.AddAttr("nodes_missing_value_tracks_true", std::vector<int64_t>{0, 0, 0, 0, 0, 0, 0, 0});
  t.AddAttr("target_treeids", std::vector<int64_t>{0, 0, 0, 1, 1, 0});
  t.AddAttr("target_nodeids", std::vector<int64_t>{1, 3, 4, 1, 2, 1});
  t.AddAttr("target_ids", std::vector<int64_t>{0, 0, 1, 0, 1, 1});
  t.AddAttr("target_weights", std::vector<float>{1.0f, 2.0f, 3.0f, 10.0f, 20.0f, 0.5f});
  t.AddAttr("n_targets", int64_t{2});
  t.AddAttr("aggregate_function", std::string("MIN"));
  t.AddInput<double>("X", {3, 2}, {0.0, 0.0, 1.0, 2.0, 1.0, 5.0});
  t.AddOutput<float>("Y", {3, 2}, {1.0f, 0.5f, 2.0f, 0.0f, 10.0f, 3.0f});
  t.Run();
}

TEST(MlTreeEnsembleRegressor, MaxInt64) {
  OpTest t("TreeEnsembleRegressor", 3, "ai.onnx.ml");
  t.AddAttr("nodes_treeids", std::vector<int64_t>{0, 0, 0, 0, 0, 1, 1, 1});
  t.AddAttr("nodes_nodeids", std::vector<int64_t>{0, 1, 2, 3, 4, 0, 1, 2});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 0, 1, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_modes",
            std::vector<std::string>{"BRANCH_LEQ", "LEAF", "BRANCH_LT", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "LEAF"});
  t.AddAttr("nodes_values", std::vector<float>{0.5f, 0.0f, 3.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f});
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{1, 0, 3, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{2, 0, 4, 0, 0, 2, 0, 0});
  t.AddAttr("nodes_missing_value_tracks_true", std::vector<int64_t>{0, 0, 0, 0, 0, 0, 0, 0});
  t.AddAttr("target_treeids", std::vector<int64_t>{0, 0, 0, 1, 1, 0});
  t.AddAttr("target_nodeids", std::vector<int64_t>{1, 3, 4, 1, 2, 1});
  t.AddAttr("target_ids", std::vector<int64_t>{0, 0, 1, 0, 1, 1});
  t.AddAttr("target_weights", std::vector<float>{1.0f, 2.0f, 3.0f, 10.0f, 20.0f, 0.5f});
  t.AddAttr("n_targets", int64_t{2});
  t.AddAttr("aggregate_function", std::string("MAX"));
  t.AddInput<int64_t>("X", {3, 2}, {0, 0, 1, 2, 1, 5});
  t.AddOutput<float>("Y", {3, 2}, {1.0f, 20.0f, 10.0f, 0.0f, 10.0f, 3.0f});
  t.Run();
}

TEST(MlTreeEnsembleRegressor, MissingTracksTrue) {
  OpTest t("TreeEnsembleRegressor", 1, "ai.onnx.ml");
  t.AddAttr("nodes_treeids", std::vector<int64_t>{0, 0, 0, 0, 0, 1, 1, 1});
  t.AddAttr("nodes_nodeids", std::vector<int64_t>{0, 1, 2, 3, 4, 0, 1, 2});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 0, 1, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_modes",
            std::vector<std::string>{"BRANCH_LEQ", "LEAF", "BRANCH_LT", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "LEAF"});
  t.AddAttr("nodes_values", std::vector<float>{0.5f, 0.0f, 3.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f});
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{1, 0, 3, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{2, 0, 4, 0, 0, 2, 0, 0});
  t.AddAttr("nodes_missing_value_tracks_true", std::vector<int64_t>{1, 0, 0, 0, 0, 0, 0, 0});
  t.AddAttr("target_treeids", std::vector<int64_t>{0, 0, 0, 1, 1, 0});
  t.AddAttr("target_nodeids", std::vector<int64_t>{1, 3, 4, 1, 2, 1});
  t.AddAttr("target_ids", std::vector<int64_t>{0, 0, 1, 0, 1, 1});
  t.AddAttr("target_weights", std::vector<float>{1.0f, 2.0f, 3.0f, 10.0f, 20.0f, 0.5f});
  t.AddAttr("n_targets", int64_t{2});
  t.AddInput<float>("X", {4, 2}, {0.0f, 0.0f, 1.0f, 2.0f, 1.0f, 5.0f, NAN, 2.0f});
  t.AddOutput<float>("Y", {4, 2}, {1.0f, 20.5f, 12.0f, 0.0f, 10.0f, 3.0f, 11.0f, 0.5f});
  t.Run();
}

TEST(MlTreeEnsembleRegressor, AsTensor) {
  OpTest t("TreeEnsembleRegressor", 3, "ai.onnx.ml");
  t.AddAttr("nodes_treeids", std::vector<int64_t>{0, 0, 0, 0, 0, 1, 1, 1});
  t.AddAttr("nodes_nodeids", std::vector<int64_t>{0, 1, 2, 3, 4, 0, 1, 2});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 0, 1, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_modes",
            std::vector<std::string>{"BRANCH_LEQ", "LEAF", "BRANCH_LT", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "LEAF"});
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{1, 0, 3, 0, 0, 1, 0, 0});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{2, 0, 4, 0, 0, 2, 0, 0});
  t.AddAttr("nodes_missing_value_tracks_true", std::vector<int64_t>{0, 0, 0, 0, 0, 0, 0, 0});
  t.AddAttr("target_treeids", std::vector<int64_t>{0, 0, 0, 1, 1, 0});
  t.AddAttr("target_nodeids", std::vector<int64_t>{1, 3, 4, 1, 2, 1});
  t.AddAttr("target_ids", std::vector<int64_t>{0, 0, 1, 0, 1, 1});
  t.AddAttr("n_targets", int64_t{2});
  t.AddAttr("nodes_values_as_tensor",
            Tensor::FromVector<double>({8}, std::vector<double>{0.5, 0.0, 3.0, 0.0, 0.0, 1.0, 0.0, 0.0}));
  t.AddAttr("target_weights_as_tensor",
            Tensor::FromVector<double>({6}, std::vector<double>{1.0, 2.0, 3.0, 10.0, 20.0, 0.5}));
  t.AddInput<float>("X", {4, 2}, {0.0f, 0.0f, 1.0f, 2.0f, 1.0f, 5.0f, NAN, 2.0f});
  t.AddOutput<float>("Y", {4, 2}, {1.0f, 20.5f, 12.0f, 0.0f, 10.0f, 3.0f, 12.0f, 0.0f});
  t.Run();
}

void AddStump(OpTest& t, int64_t true_id) {
  t.AddAttr("nodes_treeids", std::vector<int64_t>{0, 0, 0});
  t.AddAttr("nodes_nodeids", std::vector<int64_t>{0, 1, 2});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{3, 0, 0});
  t.AddAttr("nodes_modes", std::vector<std::string>{"BRANCH_LEQ", "LEAF", "LEAF"});
  t.AddAttr("nodes_values", std::vector<float>{0.5f, 0.0f, 0.0f});
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{true_id, 0, 0});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{2, 0, 0});
  t.AddAttr("target_treeids", std::vector<int64_t>{0, 0});
  t.AddAttr("target_nodeids", std::vector<int64_t>{1, 2});
  t.AddAttr("target_ids", std::vector<int64_t>{0, 0});
  t.AddAttr("target_weights", std::vector<float>{1.0f, 2.0f});
}

TEST(MlTreeEnsembleRegressor, UnknownChildNode) {
  OpTest t("TreeEnsembleRegressor", 1, "ai.onnx.ml");
  AddStump(t, 7);
  t.AddInput<float>("X", {1, 4}, {1, 2, 3, 4});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("nodes_truenodeids");
}

TEST(MlTreeEnsembleRegressor, TooFewFeatures) {
  OpTest t("TreeEnsembleRegressor", 1, "ai.onnx.ml");
  AddStump(t, 1);
  t.AddInput<float>("X", {1, 2}, {1, 2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("features");
}

TEST(MlTreeEnsembleRegressor, CycleHasNoRoot) {
  OpTest t("TreeEnsembleRegressor", 1, "ai.onnx.ml");
  AddStump(t, 0);
  t.AddInput<float>("X", {1, 4}, {1, 2, 3, 4});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("cycle");
}

}  // namespace
}  // namespace onyx::test
