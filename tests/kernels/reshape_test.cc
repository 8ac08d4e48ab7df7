#include "kernels/op_test.h"

namespace onyx::test {

TEST(Reshape, Basic) {
  OpTest t("Reshape", 14);
  t.AddInput<float>("data", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddConstantInput<int64_t>("shape", {2}, {3, 2});
  t.AddOutput<float>("reshaped", {3, 2}, {1, 2, 3, 4, 5, 6});
  t.Run();
}

TEST(Reshape, ZeroCopiesAndMinusOneInfers) {
  OpTest t("Reshape", 13);
  t.AddInput<int32_t>("data", {2, 3, 4}, std::vector<int32_t>(24, 7));
  t.AddInput<int64_t>("shape", {3}, {0, -1, 2});
  t.AddOutput<int32_t>("reshaped", {2, 6, 2}, std::vector<int32_t>(24, 7));
  t.Run();
}

TEST(Reshape, AllowZeroKeepsZeroDims) {
  OpTest t("Reshape", 14);
  t.AddAttr("allowzero", int64_t{1});
  t.AddInput<float>("data", {0, 3, 4}, {});
  t.AddInput<int64_t>("shape", {3}, {3, 4, 0});
  t.AddOutput<float>("reshaped", {3, 4, 0}, {});
  t.Run();
}

TEST(Reshape, StringsAndBool) {
  OpTest t("Reshape", 19);
  t.AddInput<std::string>("data", {4}, {"a", "b", "c", "d"});
  t.AddInput<int64_t>("shape", {2}, {2, 2});
  t.AddOutput<std::string>("reshaped", {2, 2}, {"a", "b", "c", "d"});
  t.Run();
  OpTest b("Reshape", 19);
  b.AddInput<bool>("data", {2, 1}, {true, false});
  b.AddInput<int64_t>("shape", {1}, {-1});
  b.AddOutput<bool>("reshaped", {2}, {true, false});
  b.Run();
}

TEST(Reshape, Opset1ShapeAttribute) {
  OpTest t("Reshape", 1);
  t.AddAttr("shape", std::vector<int64_t>{-1});
  t.AddInput<double>("data", {2, 2}, {1, 2, 3, 4});
  t.AddOutput<double>("reshaped", {4}, {1, 2, 3, 4});
  t.Run();
}

TEST(Reshape, WrongElementCountIsAnError) {
  OpTest t("Reshape", 14);
  t.AddInput<float>("data", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int64_t>("shape", {2}, {4, 2});
  t.AddOutputUnchecked("reshaped");
  t.RunExpectError("cannot reshape");
}

TEST(Reshape, TwoMinusOnesIsAnError) {
  OpTest t("Reshape", 14);
  t.AddInput<float>("data", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int64_t>("shape", {2}, {-1, -1});
  t.AddOutputUnchecked("reshaped");
  t.RunExpectError("more than one -1");
}

TEST(Reshape, AllowZeroWithMinusOneIsAnError) {
  OpTest t("Reshape", 14);
  t.AddAttr("allowzero", int64_t{1});
  t.AddInput<float>("data", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int64_t>("shape", {2}, {0, -1});
  t.AddOutputUnchecked("reshaped");
  t.RunExpectError("allowzero");
}

}  // namespace onyx::test
