#include "kernels/op_test.h"

namespace onyx::test {

TEST(Transpose, DefaultReverses) {
  OpTest t("Transpose", 13);
  t.AddInput<float>("data", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddOutput<float>("transposed", {3, 2}, {1, 4, 2, 5, 3, 6});
  t.Run();
}

TEST(Transpose, Perm3D) {
  OpTest t("Transpose", 21);
  t.AddAttr("perm", std::vector<int64_t>{1, 0, 2});
  t.AddInput<int64_t>("data", {2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  t.AddOutput<int64_t>("transposed", {2, 2, 2}, {0, 1, 4, 5, 2, 3, 6, 7});
  t.Run();
}

TEST(Transpose, PermMovesInnerAxis) {
  OpTest t("Transpose", 13);
  t.AddAttr("perm", std::vector<int64_t>{2, 0, 1});
  t.AddInput<uint8_t>("data", {2, 2, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  t.AddOutput<uint8_t>("transposed", {3, 2, 2}, {0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11});
  t.Run();
}

TEST(Transpose, Strings) {
  OpTest t("Transpose", 13);
  t.AddInput<std::string>("data", {2, 2}, {"a", "b", "c", "d"});
  t.AddOutput<std::string>("transposed", {2, 2}, {"a", "c", "b", "d"});
  t.Run();
}

TEST(Transpose, BadPermIsAnError) {
  OpTest t("Transpose", 13);
  t.AddAttr("perm", std::vector<int64_t>{0, 0});
  t.AddInput<float>("data", {2, 2}, {1, 2, 3, 4});
  t.AddOutputUnchecked("transposed");
  t.RunExpectError("not a permutation");
}

TEST(Transpose, PermOfWrongRankIsAnError) {
  OpTest t("Transpose", 13);
  t.AddAttr("perm", std::vector<int64_t>{1, 0, 2});
  t.AddInput<float>("data", {2, 2}, {1, 2, 3, 4});
  t.AddOutputUnchecked("transposed");
  t.RunExpectError("perm");
}

}  // namespace onyx::test
