// Generated expected values come from the ONNX reference evaluator (onnx.reference).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

TEST(MlTreeEnsemble, Sum) {
  OpTest t("TreeEnsemble", 5, "ai.onnx.ml");
  t.AddAttr("n_targets", int64_t{2});
  t.AddAttr("tree_roots", std::vector<int64_t>{0, 3});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 1, 0, 1});
  t.AddAttr("nodes_modes", Tensor::FromVector<uint8_t>({4}, std::vector<uint8_t>{0, 1, 4, 6}));
  t.AddAttr("nodes_splits", Tensor::FromVector<float>({4}, std::vector<float>{0.5f, 3.0f, 2.0f, 0.0f}));
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{0, 2, 0, 3});
  t.AddAttr("nodes_trueleafs", std::vector<int64_t>{1, 1, 1, 1});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{1, 1, 1, 4});
  t.AddAttr("nodes_falseleafs", std::vector<int64_t>{0, 1, 1, 1});
  t.AddAttr("membership_values", Tensor::FromVector<float>({4}, std::vector<float>{1.0f, 4.0f, 2.0f, NAN}));
  t.AddAttr("leaf_targetids", std::vector<int64_t>{0, 0, 1, 1, 0});
  t.AddAttr("leaf_weights", Tensor::FromVector<float>({5}, std::vector<float>{1.0f, 2.0f, 3.0f, 10.0f, 20.0f}));
  t.AddAttr("aggregate_function", int64_t{1});
  t.AddInput<float>("X", {4, 2}, {0.0f, 0.0f, 1.0f, 2.0f, 1.0f, 5.0f, 2.0f, 4.0f});
  t.AddOutput<float>("Y", {4, 2}, {21.0f, 0.0f, 0.0f, 13.0f, 22.0f, 0.0f, 2.0f, 10.0f});
  t.Run();
}

TEST(MlTreeEnsemble, Average) {
  OpTest t("TreeEnsemble", 5, "ai.onnx.ml");
  t.AddAttr("n_targets", int64_t{2});
  t.AddAttr("tree_roots", std::vector<int64_t>{0, 3});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 1, 0, 1});
  t.AddAttr("nodes_modes", Tensor::FromVector<uint8_t>({4}, std::vector<uint8_t>{0, 1, 4, 6}));
  t.AddAttr("nodes_splits", Tensor::FromVector<float>({4}, std::vector<float>{0.5f, 3.0f, 2.0f, 0.0f}));
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{0, 2, 0, 3});
  t.AddAttr("nodes_trueleafs", std::vector<int64_t>{1, 1, 1, 1});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{1, 1, 1, 4});
  t.AddAttr("nodes_falseleafs", std::vector<int64_t>{0, 1, 1, 1});
  t.AddAttr("membership_values", Tensor::FromVector<float>({4}, std::vector<float>{1.0f, 4.0f, 2.0f, NAN}));
  t.AddAttr("leaf_targetids", std::vector<int64_t>{0, 0, 1, 1, 0});
  t.AddAttr("leaf_weights", Tensor::FromVector<float>({5}, std::vector<float>{1.0f, 2.0f, 3.0f, 10.0f, 20.0f}));
  t.AddAttr("aggregate_function", int64_t{0});
  t.AddInput<float>("X", {4, 2}, {0.0f, 0.0f, 1.0f, 2.0f, 1.0f, 5.0f, 2.0f, 4.0f});
  t.AddOutput<float>("Y", {4, 2}, {10.5f, 0.0f, 0.0f, 6.5f, 11.0f, 0.0f, 1.0f, 5.0f});
  t.Run();
}

// Targets that no leaf reaches give 0 (onnx.reference leaves +-FLT_MAX for MIN and MAX).
TEST(MlTreeEnsemble, Min) {
  OpTest t("TreeEnsemble", 5, "ai.onnx.ml");
  t.AddAttr("n_targets", int64_t{2});
  t.AddAttr("tree_roots", std::vector<int64_t>{0, 3});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 1, 0, 1});
  t.AddAttr("nodes_modes", Tensor::FromVector<uint8_t>({4}, std::vector<uint8_t>{0, 1, 4, 6}));
  t.AddAttr("nodes_splits", Tensor::FromVector<float>({4}, std::vector<float>{0.5f, 3.0f, 2.0f, 0.0f}));
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{0, 2, 0, 3});
  t.AddAttr("nodes_trueleafs", std::vector<int64_t>{1, 1, 1, 1});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{1, 1, 1, 4});
  t.AddAttr("nodes_falseleafs", std::vector<int64_t>{0, 1, 1, 1});
  t.AddAttr("membership_values", Tensor::FromVector<float>({4}, std::vector<float>{1.0f, 4.0f, 2.0f, NAN}));
  t.AddAttr("leaf_targetids", std::vector<int64_t>{0, 0, 1, 1, 0});
  t.AddAttr("leaf_weights", Tensor::FromVector<float>({5}, std::vector<float>{1.0f, 2.0f, 3.0f, 10.0f, 20.0f}));
  t.AddAttr("aggregate_function", int64_t{2});
  t.AddInput<float>("X", {4, 2}, {0.0f, 0.0f, 1.0f, 2.0f, 1.0f, 5.0f, 2.0f, 4.0f});
  t.AddOutput<float>("Y", {4, 2}, {1.0f, 0.0f, 0.0f, 3.0f, 2.0f, 0.0f, 2.0f, 10.0f});
  t.Run();
}

TEST(MlTreeEnsemble, Max) {
  OpTest t("TreeEnsemble", 5, "ai.onnx.ml");
  t.AddAttr("n_targets", int64_t{2});
  t.AddAttr("tree_roots", std::vector<int64_t>{0, 3});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 1, 0, 1});
  t.AddAttr("nodes_modes", Tensor::FromVector<uint8_t>({4}, std::vector<uint8_t>{0, 1, 4, 6}));
  t.AddAttr("nodes_splits", Tensor::FromVector<float>({4}, std::vector<float>{0.5f, 3.0f, 2.0f, 0.0f}));
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{0, 2, 0, 3});
  t.AddAttr("nodes_trueleafs", std::vector<int64_t>{1, 1, 1, 1});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{1, 1, 1, 4});
  t.AddAttr("nodes_falseleafs", std::vector<int64_t>{0, 1, 1, 1});
  t.AddAttr("membership_values", Tensor::FromVector<float>({4}, std::vector<float>{1.0f, 4.0f, 2.0f, NAN}));
  t.AddAttr("leaf_targetids", std::vector<int64_t>{0, 0, 1, 1, 0});
  t.AddAttr("leaf_weights", Tensor::FromVector<float>({5}, std::vector<float>{1.0f, 2.0f, 3.0f, 10.0f, 20.0f}));
  t.AddAttr("aggregate_function", int64_t{3});
  t.AddInput<float>("X", {4, 2}, {0.0f, 0.0f, 1.0f, 2.0f, 1.0f, 5.0f, 2.0f, 4.0f});
  t.AddOutput<float>("Y", {4, 2}, {20.0f, 0.0f, 0.0f, 10.0f, 20.0f, 0.0f, 2.0f, 10.0f});
  t.Run();
}

TEST(MlTreeEnsemble, DoubleLogistic) {
  OpTest t("TreeEnsemble", 5, "ai.onnx.ml");
  t.AddAttr("n_targets", int64_t{2});
  t.AddAttr("tree_roots", std::vector<int64_t>{0, 3});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 1, 0, 1});
  t.AddAttr("nodes_modes", Tensor::FromVector<uint8_t>({4}, std::vector<uint8_t>{0, 1, 4, 6}));
  t.AddAttr("nodes_splits", Tensor::FromVector<double>({4}, std::vector<double>{0.5, 3.0, 2.0, 0.0}));
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{0, 2, 0, 3});
  t.AddAttr("nodes_trueleafs", std::vector<int64_t>{1, 1, 1, 1});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{1, 1, 1, 4});
  t.AddAttr("nodes_falseleafs", std::vector<int64_t>{0, 1, 1, 1});
  t.AddAttr("membership_values", Tensor::FromVector<double>({4}, std::vector<double>{1.0, 4.0, 2.0, NAN}));
  t.AddAttr("leaf_targetids", std::vector<int64_t>{0, 0, 1, 1, 0});
  t.AddAttr("leaf_weights", Tensor::FromVector<double>({5}, std::vector<double>{1.0, 2.0, 3.0, 10.0, 20.0}));
  t.AddAttr("post_transform", int64_t{2});
  t.AddInput<double>("X", {4, 2}, {0.0, 0.0, 1.0, 2.0, 1.0, 5.0, 2.0, 4.0});
  t.AddOutput<double>("Y", {4, 2},
                      {0.9999999992417439, 0.5, 0.5, 0.999997739675702, 0.9999999997210531, 0.5, 0.8807970779778823,
                       0.9999546021312976});
  t.Run();
}

TEST(MlTreeEnsemble, MissingTracksTrue) {
  OpTest t("TreeEnsemble", 5, "ai.onnx.ml");
  t.AddAttr("n_targets", int64_t{2});
  t.AddAttr("tree_roots", std::vector<int64_t>{0, 3});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0, 1, 0, 1});
  t.AddAttr("nodes_modes", Tensor::FromVector<uint8_t>({4}, std::vector<uint8_t>{0, 1, 4, 6}));
  t.AddAttr("nodes_splits", Tensor::FromVector<float>({4}, std::vector<float>{0.5f, 3.0f, 2.0f, 0.0f}));
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{0, 2, 0, 3});
  t.AddAttr("nodes_trueleafs", std::vector<int64_t>{1, 1, 1, 1});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{1, 1, 1, 4});
  t.AddAttr("nodes_falseleafs", std::vector<int64_t>{0, 1, 1, 1});
  t.AddAttr("membership_values", Tensor::FromVector<float>({4}, std::vector<float>{1.0f, 4.0f, 2.0f, NAN}));
  t.AddAttr("leaf_targetids", std::vector<int64_t>{0, 0, 1, 1, 0});
  t.AddAttr("leaf_weights", Tensor::FromVector<float>({5}, std::vector<float>{1.0f, 2.0f, 3.0f, 10.0f, 20.0f}));
  t.AddAttr("nodes_missing_value_tracks_true", std::vector<int64_t>{1, 0, 0, 0});
  t.AddInput<float>("X", {2, 2}, {NAN, 1.0f, NAN, NAN});
  t.AddOutput<float>("Y", {2, 2}, {1.0f, 10.0f, 21.0f, 0.0f});
  t.Run();
}

// One node with both branches on leaves; `false_id` and `mode` let tests break it.
void AddSingleNode(OpTest& t, int64_t false_id, uint8_t mode, int64_t false_leaf = 1) {
  t.AddAttr("n_targets", int64_t{1});
  t.AddAttr("tree_roots", std::vector<int64_t>{0});
  t.AddAttr("nodes_featureids", std::vector<int64_t>{0});
  t.AddAttr("nodes_modes", Tensor::FromVector<uint8_t>({1}, std::vector<uint8_t>{mode}));
  t.AddAttr("nodes_splits", Tensor::FromVector<float>({1}, std::vector<float>{0.5f}));
  t.AddAttr("nodes_truenodeids", std::vector<int64_t>{0});
  t.AddAttr("nodes_trueleafs", std::vector<int64_t>{1});
  t.AddAttr("nodes_falsenodeids", std::vector<int64_t>{false_id});
  t.AddAttr("nodes_falseleafs", std::vector<int64_t>{false_leaf});
  t.AddAttr("leaf_targetids", std::vector<int64_t>{0, 0});
  t.AddAttr("leaf_weights", Tensor::FromVector<float>({2}, std::vector<float>{1.0f, 2.0f}));
}

TEST(MlTreeEnsemble, LeafIndexOutOfRange) {
  OpTest t("TreeEnsemble", 5, "ai.onnx.ml");
  AddSingleNode(t, 2, 0);
  t.AddInput<float>("X", {1, 1}, {1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("nodes_falsenodeids");
}

TEST(MlTreeEnsemble, UnknownMode) {
  OpTest t("TreeEnsemble", 5, "ai.onnx.ml");
  AddSingleNode(t, 1, 9);
  t.AddInput<float>("X", {1, 1}, {1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("nodes_modes");
}

TEST(MlTreeEnsemble, MemberNodeNeedsSet) {
  OpTest t("TreeEnsemble", 5, "ai.onnx.ml");
  AddSingleNode(t, 1, 6);
  t.AddInput<float>("X", {1, 1}, {1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("membership_values");
}

TEST(MlTreeEnsemble, Cycle) {
  OpTest t("TreeEnsemble", 5, "ai.onnx.ml");
  AddSingleNode(t, 0, 0, 0);  // the false branch points back at the node itself
  t.AddInput<float>("X", {1, 1}, {1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("cycle");
}

TEST(MlTreeEnsemble, Float16) {
  OpTest t("TreeEnsemble", 5, "ai.onnx.ml");
  AddSingleNode(t, 1, 0);
  t.AddInput<Float16>("X", {3, 1},
                      {Float16{FloatToHalf(0.25f)}, Float16{FloatToHalf(0.75f)}, Float16{FloatToHalf(0.5f)}});
  t.AddOutput<Float16>("Y", {3, 1},
                       {Float16{FloatToHalf(1.0f)}, Float16{FloatToHalf(2.0f)}, Float16{FloatToHalf(1.0f)}});
  t.Run();
}

}  // namespace
}  // namespace onyx::test
