#include "kernels/op_test.h"

namespace onyx::test {

TEST(Dropout, InferenceIsIdentity) {
  OpTest t("Dropout", 7);
  t.AddInput<float>("X", {2, 2}, {1, -2, 3, 4});
  t.AddAttr("ratio", 0.3f);
  t.AddOutput<float>("Y", {2, 2}, {1, -2, 3, 4});
  t.Run();
}

TEST(Dropout, OldOpsetWithIsTest) {
  OpTest t("Dropout", 6);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddAttr("is_test", int64_t{1});
  t.AddOutput<float>("Y", {2}, {1, 2});
  t.Run();
}

TEST(Dropout, MaskIsAllTrue) {
  OpTest t("Dropout", 13);
  t.AddInput<double>("X", {3}, {1, 2, 3});
  t.AddOutput<double>("Y", {3}, {1, 2, 3});
  t.AddOutput<bool>("mask", {3}, {true, true, true});
  t.Run();
}

TEST(Dropout, RatioInputWithTrainingOff) {
  OpTest t("Dropout", 12);
  t.AddInput<float>("X", {2}, {5, 6});
  t.AddInput<float>("ratio", {}, {0.9f});
  t.AddInput<bool>("training_mode", {}, {false});
  t.AddOutput<float>("Y", {2}, {5, 6});
  t.AddOutput<bool>("mask", {2}, {true, true});
  t.Run();
}

TEST(Dropout, TrainingZeroesOrScales) {
  OpTest t("Dropout", 22);
  std::vector<float> x(64, 1.0f);
  t.AddInput<float>("X", {64}, x);
  t.AddInput<float>("ratio", {}, {0.5f});
  t.AddInput<bool>("training_mode", {}, {true});
  t.AddOutputUnchecked("Y");
  t.AddOutputUnchecked("mask");
  std::vector<Value> out = t.RunAndGet();
  ASSERT_EQ(out.size(), 2u);
  const float* y = out[0].tensor().data<float>();
  const bool* mask = out[1].tensor().data<bool>();
  int kept = 0;
  for (int i = 0; i < 64; ++i) {
    EXPECT_FLOAT_EQ(y[i], mask[i] ? 2.0f : 0.0f);
    kept += mask[i];
  }
  EXPECT_GT(kept, 0);
  EXPECT_LT(kept, 64);
}

TEST(Dropout, RatioOutOfRangeIsAnError) {
  OpTest t("Dropout", 13);
  t.AddInput<float>("X", {2}, {5, 6});
  t.AddInput<float>("ratio", {}, {1.5f});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("ratio");
}

}  // namespace onyx::test
