#include "kernels/op_test.h"

namespace onyx::test {

namespace {
const std::vector<float> kX = {2, 1, 2, 0, 3, 3, 5, 5, 1};
}  // namespace

TEST(ArgMin, DefaultAxisKeepDims) {
  OpTest t("ArgMin", 13);
  t.AddInput<float>("X", {3, 3}, kX);
  t.AddOutput<int64_t>("Y", {1, 3}, {1, 0, 2});
  t.Run();
}

TEST(ArgMin, LastAxisNoKeepDims) {
  OpTest t("ArgMin", 13);
  t.AddInput<float>("X", {3, 3}, kX);
  t.AddAttr("axis", int64_t{-1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<int64_t>("Y", {3}, {1, 0, 2});
  t.Run();
}

TEST(ArgMin, SelectLastIndex) {
  OpTest t("ArgMin", 13);
  t.AddInput<float>("X", {3, 3}, kX);
  t.AddAttr("axis", int64_t{1});
  t.AddAttr("select_last_index", int64_t{1});
  t.AddOutput<int64_t>("Y", {3, 1}, {1, 0, 2});
  t.Run();
}

TEST(ArgMin, Int32) {
  OpTest t("ArgMin", 11);
  t.AddInput<int32_t>("X", {2, 2}, {1, 7, 9, -3});
  t.AddAttr("axis", int64_t{1});
  t.AddOutput<int64_t>("Y", {2, 1}, {0, 1});
  t.Run();
}

TEST(ArgMin, BadAxisIsAnError) {
  OpTest t("ArgMin", 13);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddAttr("axis", int64_t{1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("axis");
}

}  // namespace onyx::test
