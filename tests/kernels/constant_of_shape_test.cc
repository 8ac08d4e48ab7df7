#include "kernels/op_test.h"

namespace onyx::test {

TEST(ConstantOfShape, DefaultIsFloatZero) {
  OpTest t("ConstantOfShape", 9);
  t.AddInput<int64_t>("input", {2}, {2, 3});
  t.AddOutput<float>("output", {2, 3}, std::vector<float>(6, 0.0f));
  t.Run();
}

TEST(ConstantOfShape, ValueAttribute) {
  OpTest t("ConstantOfShape", 20);
  t.AddAttr("value", Tensor::FromVector<int32_t>({1}, {4}));
  t.AddInput<int64_t>("input", {1}, {3});
  t.AddOutput<int32_t>("output", {3}, {4, 4, 4});
  t.Run();
  OpTest b("ConstantOfShape", 20);
  b.AddAttr("value", Tensor::FromVector<bool>({1}, {true}));
  b.AddInput<int64_t>("input", {2}, {1, 2});
  b.AddOutput<bool>("output", {1, 2}, {true, true});
  b.Run();
}

TEST(ConstantOfShape, EmptyShapeGivesScalarAndZeroDimGivesEmpty) {
  OpTest t("ConstantOfShape", 20);
  t.AddAttr("value", Tensor::FromVector<double>({1}, {2}));
  t.AddInput<int64_t>("input", {0}, {});
  t.AddOutput<double>("output", {}, {2});
  t.Run();
  OpTest z("ConstantOfShape", 20);
  z.AddInput<int64_t>("input", {2}, {0, 3});
  z.AddOutput<float>("output", {0, 3}, {});
  z.Run();
}

TEST(ConstantOfShape, NegativeDimIsAnError) {
  OpTest t("ConstantOfShape", 20);
  t.AddInput<int64_t>("input", {1}, {-2});
  t.AddOutputUnchecked("output");
  t.RunExpectError("negative");
}

TEST(ConstantOfShape, ValueWithTwoElementsIsAnError) {
  OpTest t("ConstantOfShape", 20);
  t.AddAttr("value", Tensor::FromVector<float>({2}, {1, 2}));
  t.AddInput<int64_t>("input", {1}, {2});
  t.AddOutputUnchecked("output");
  t.RunExpectError("exactly one element");
}

}  // namespace onyx::test
