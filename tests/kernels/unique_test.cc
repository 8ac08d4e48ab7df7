#include "kernels/op_test.h"

namespace onyx::test {

TEST(Unique, SortedWithAllOutputs) {
  OpTest t("Unique", 11);
  t.AddInput<float>("X", {6}, {2, 1, 1, 3, 4, 3});
  t.AddOutput<float>("Y", {4}, {1, 2, 3, 4});
  t.AddOutput<int64_t>("indices", {4}, {1, 0, 3, 4});
  t.AddOutput<int64_t>("inverse_indices", {6}, {1, 0, 0, 2, 3, 2});
  t.AddOutput<int64_t>("counts", {4}, {2, 1, 2, 1});
  t.Run();
}

TEST(Unique, NotSorted) {
  OpTest t("Unique", 11);
  t.AddAttr("sorted", int64_t{0});
  t.AddInput<int32_t>("X", {6}, {2, 1, 1, 3, 4, 3});
  t.AddOutput<int32_t>("Y", {4}, {2, 1, 3, 4});
  t.AddOutput<int64_t>("indices", {4}, {0, 1, 3, 4});
  t.AddOutput<int64_t>("inverse_indices", {6}, {0, 1, 1, 2, 3, 2});
  t.AddOutput<int64_t>("counts", {4}, {1, 2, 2, 1});
  t.Run();
}

TEST(Unique, Axis) {
  OpTest t("Unique", 11);
  t.AddAttr("axis", int64_t{0});
  t.AddInput<int64_t>("X", {3, 2}, {1, 0, 1, 0, 0, 1});
  t.AddOutput<int64_t>("Y", {2, 2}, {0, 1, 1, 0});
  t.Run();
}

TEST(Unique, Strings) {
  OpTest t("Unique", 11);
  t.AddInput<std::string>("X", {3}, {"b", "a", "b"});
  t.AddOutput<std::string>("Y", {2}, {"a", "b"});
  t.Run();
}

}  // namespace onyx::test
