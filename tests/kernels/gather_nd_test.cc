#include "kernels/op_test.h"

namespace onyx::test {

TEST(GatherND, Slices) {
  OpTest t("GatherND", 13);
  t.AddInput<float>("data", {2, 2}, {0, 1, 2, 3});
  t.AddInput<int64_t>("indices", {2, 1}, {1, 0});
  t.AddOutput<float>("output", {2, 2}, {2, 3, 0, 1});
  t.Run();
}

TEST(GatherND, Elements) {
  OpTest t("GatherND", 13);
  t.AddInput<std::string>("data", {2, 2}, {"a", "b", "c", "d"});
  t.AddInput<int64_t>("indices", {2, 2}, {0, 0, 1, -1});
  t.AddOutput<std::string>("output", {2}, {"a", "d"});
  t.Run();
}

TEST(GatherND, BatchDims) {
  OpTest t("GatherND", 13);
  t.AddAttr("batch_dims", int64_t{1});
  t.AddInput<int32_t>("data", {2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  t.AddInput<int64_t>("indices", {2, 1}, {1, 0});
  t.AddOutput<int32_t>("output", {2, 2}, {2, 3, 4, 5});
  t.Run();
}

TEST(GatherND, OutOfRangeIsAnError) {
  OpTest t("GatherND", 13);
  t.AddInput<float>("data", {2}, {1, 2});
  t.AddInput<int64_t>("indices", {1, 1}, {5});
  t.AddOutputUnchecked("output");
  t.RunExpectError("out of range");
}

}  // namespace onyx::test
