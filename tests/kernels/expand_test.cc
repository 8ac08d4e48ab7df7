#include "kernels/op_test.h"

namespace onyx::test {

TEST(Expand, Broadcast) {
  OpTest t("Expand", 13);
  t.AddInput<float>("input", {3, 1}, {1, 2, 3});
  t.AddConstantInput<int64_t>("shape", {2}, {3, 2});
  t.AddOutput<float>("output", {3, 2}, {1, 1, 2, 2, 3, 3});
  t.Run();
}

TEST(Expand, ShapeSmallerThanInputKeepsInputDims) {
  OpTest t("Expand", 8);
  t.AddInput<int32_t>("input", {3, 1}, {1, 2, 3});
  t.AddInput<int64_t>("shape", {3}, {2, 1, 2});
  t.AddOutput<int32_t>("output", {2, 3, 2}, {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3});
  t.Run();
}

TEST(Expand, Strings) {
  OpTest t("Expand", 13);
  t.AddInput<std::string>("input", {1}, {"s"});
  t.AddInput<int64_t>("shape", {1}, {3});
  t.AddOutput<std::string>("output", {3}, {"s", "s", "s"});
  t.Run();
}

TEST(Expand, IncompatibleShapeIsAnError) {
  OpTest t("Expand", 13);
  t.AddInput<float>("input", {3}, {1, 2, 3});
  t.AddInput<int64_t>("shape", {1}, {2});
  t.AddOutputUnchecked("output");
  t.RunExpectError("expand");
}

}  // namespace onyx::test
