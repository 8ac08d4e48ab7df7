// Expected values computed with onnx.reference.ReferenceEvaluator (onnx 1.22) unless noted.
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
TEST(NonMaxSuppression, CenterPointTwoClasses) {
  OpTest t("NonMaxSuppression", 11);
  t.AddAttr("center_point_box", int64_t{1});
  t.AddInput<float>("boxes", {1, 6, 4}, {0.5f, 0.5f,
                                         1.0f, 1.0f,
                                         0.5f, 0.6000000238418579f,
                                         1.0f, 1.0f,
                                         0.5f, 0.4000000059604645f,
                                         1.0f, 1.0f,
                                         0.5f, 10.5f,
                                         1.0f, 1.0f,
                                         0.5f, 10.600000381469727f,
                                         1.0f, 1.0f,
                                         0.5f, 100.5f,
                                         1.0f, 1.0f});
  t.AddInput<float>("scores", {1, 2, 6},
                    {0.8999999761581421f, 0.75f, 0.6000000238418579f, 0.949999988079071f, 0.5f, 0.30000001192092896f,
                     0.10000000149011612f, 0.800000011920929f, 0.699999988079071f, 0.20000000298023224f,
                     0.8999999761581421f, 0.05000000074505806f});
  t.AddInput<int64_t>("max_output_boxes_per_class", {1}, {2});
  t.AddInput<float>("iou_threshold", {1}, {0.5f});
  t.AddInput<float>("score_threshold", {1}, {0.0f});
  t.AddOutput<int64_t>("selected_indices", {4, 3}, {0, 0, 3, 0, 0, 0, 0, 1, 4, 0, 1, 1});
  t.Run();
}
TEST(NonMaxSuppression, TwoBatchesNoScoreThreshold) {
  OpTest t("NonMaxSuppression", 10);
  t.AddInput<float>("boxes", {2, 6, 4}, {1.0f, 1.0f,
                                         0.0f, 0.0f,
                                         0.0f, 0.10000000149011612f,
                                         1.0f, 1.100000023841858f,
                                         0.0f, 0.8999999761581421f,
                                         1.0f, -0.10000000149011612f,
                                         0.0f, 10.0f,
                                         1.0f, 11.0f,
                                         1.0f, 10.100000381469727f,
                                         0.0f, 11.100000381469727f,
                                         1.0f, 101.0f,
                                         0.0f, 100.0f,
                                         0.0f, 0.0f,
                                         1.0f, 1.0f,
                                         0.0f, 0.05000000074505806f,
                                         1.0f, 1.0499999523162842f,
                                         0.0f, 0.0f,
                                         1.0f, 1.0f,
                                         5.0f, 5.0f,
                                         6.0f, 6.0f,
                                         0.0f, 0.5f,
                                         1.0f, 1.5f,
                                         0.0f, 0.0f,
                                         0.0f, 0.0f});
  t.AddInput<float>("scores", {2, 1, 6},
                    {0.3035089373588562f, 0.9990258812904358f, 0.26214680075645447f, 0.8490445017814636f,
                     0.6056831479072571f, 0.8060356974601746f, 0.630317747592926f, 0.3626968562602997f,
                     0.7607887983322144f, 0.026484549045562744f, 0.4468129575252533f, 0.3718545734882355f});
  t.AddInput<int64_t>("max_output_boxes_per_class", {1}, {10});
  t.AddInput<float>("iou_threshold", {1}, {0.30000001192092896f});
  t.AddOutput<int64_t>("selected_indices", {6, 3}, {0, 0, 1, 0, 0, 3, 0, 0, 5, 1, 0, 2, 1, 0, 5, 1, 0, 3});
  t.Run();
}
TEST(NonMaxSuppression, ScoreThresholdDefaultsIou) {
  OpTest t("NonMaxSuppression", 11);
  t.AddInput<float>("boxes", {2, 6, 4}, {1.0f, 1.0f,
                                         0.0f, 0.0f,
                                         0.0f, 0.10000000149011612f,
                                         1.0f, 1.100000023841858f,
                                         0.0f, 0.8999999761581421f,
                                         1.0f, -0.10000000149011612f,
                                         0.0f, 10.0f,
                                         1.0f, 11.0f,
                                         1.0f, 10.100000381469727f,
                                         0.0f, 11.100000381469727f,
                                         1.0f, 101.0f,
                                         0.0f, 100.0f,
                                         0.0f, 0.0f,
                                         1.0f, 1.0f,
                                         0.0f, 0.05000000074505806f,
                                         1.0f, 1.0499999523162842f,
                                         0.0f, 0.0f,
                                         1.0f, 1.0f,
                                         5.0f, 5.0f,
                                         6.0f, 6.0f,
                                         0.0f, 0.5f,
                                         1.0f, 1.5f,
                                         0.0f, 0.0f,
                                         0.0f, 0.0f});
  t.AddInput<float>("scores", {2, 1, 6},
                    {0.3035089373588562f, 0.9990258812904358f, 0.26214680075645447f, 0.8490445017814636f,
                     0.6056831479072571f, 0.8060356974601746f, 0.630317747592926f, 0.3626968562602997f,
                     0.7607887983322144f, 0.026484549045562744f, 0.4468129575252533f, 0.3718545734882355f});
  t.AddInput<int64_t>("max_output_boxes_per_class", {1}, {3});
  t.AddInput<float>("iou_threshold", {0}, {});
  t.AddInput<float>("score_threshold", {1}, {0.4000000059604645f});
  t.AddOutput<int64_t>("selected_indices", {4, 3}, {0, 0, 1, 0, 0, 3, 0, 0, 5, 1, 0, 2});
  t.Run();
}

TEST(NonMaxSuppression, NoMaxOutputSelectsNothing) {
  OpTest t("NonMaxSuppression", 11);
  t.AddInput<float>("boxes", {1, 1, 4}, {0, 0, 1, 1});
  t.AddInput<float>("scores", {1, 1, 1}, {0.9f});
  t.AddOutput<int64_t>("selected_indices", {0, 3}, {});
  t.Run();
}

TEST(NonMaxSuppression, RejectsMismatchedScores) {
  OpTest t("NonMaxSuppression", 11);
  t.AddInput<float>("boxes", {1, 2, 4}, {0, 0, 1, 1, 0, 0, 1, 1});
  t.AddInput<float>("scores", {1, 1, 3}, {0.9f, 0.8f, 0.7f});
  t.AddInput<int64_t>("max_output_boxes_per_class", {1}, {1});
  t.AddOutputUnchecked("selected_indices");
  t.RunExpectError("scores must be");
}

}  // namespace onyx::test
