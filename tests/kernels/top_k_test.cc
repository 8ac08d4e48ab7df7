#include "kernels/op_test.h"

namespace onyx::test {

TEST(TopK, LargestWithTies) {
  OpTest t("TopK", 11);
  t.AddInput<float>("X", {2, 4}, {1, 3, 3, 2, 4, 0, 5, 5});
  t.AddInput<int64_t>("K", {1}, {2});
  t.AddOutput<float>("Values", {2, 2}, {3, 3, 5, 5});
  t.AddOutput<int64_t>("Indices", {2, 2}, {1, 2, 2, 3});
  t.Run();
}

TEST(TopK, SmallestAxis0) {
  OpTest t("TopK", 11);
  t.AddAttr("largest", int64_t{0});
  t.AddAttr("axis", int64_t{0});
  t.AddInput<int32_t>("X", {3, 2}, {5, 1, 3, 2, 4, 0});
  t.AddInput<int64_t>("K", {1}, {1});
  t.AddOutput<int32_t>("Values", {1, 2}, {3, 0});
  t.AddOutput<int64_t>("Indices", {1, 2}, {1, 2});
  t.Run();
}

TEST(TopK, Opset1Attribute) {
  OpTest t("TopK", 1);
  t.AddAttr("k", int64_t{1});
  t.AddInput<float>("X", {3}, {1, 9, 2});
  t.AddOutput<float>("Values", {1}, {9});
  t.AddOutput<int64_t>("Indices", {1}, {1});
  t.Run();
}

TEST(TopK, KTooLargeIsAnError) {
  OpTest t("TopK", 11);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<int64_t>("K", {1}, {3});
  t.AddOutputUnchecked("Values");
  t.AddOutputUnchecked("Indices");
  t.RunExpectError("out of range");
}

}  // namespace onyx::test
