#include "kernels/op_test.h"

namespace onyx::test {

TEST(Trilu, Upper) {
  OpTest t("Trilu", 14);
  t.AddInput<float>("input", {3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  t.AddOutput<float>("output", {3, 3}, {1, 2, 3, 0, 5, 6, 0, 0, 9});
  t.Run();
}

TEST(Trilu, LowerWithK) {
  OpTest t("Trilu", 14);
  t.AddAttr("upper", int64_t{0});
  t.AddInput<int64_t>("input", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int64_t>("k", {}, {-1});
  t.AddOutput<int64_t>("output", {2, 3}, {0, 0, 0, 4, 0, 0});
  t.Run();
}

TEST(Trilu, Batched) {
  OpTest t("Trilu", 14);
  t.AddInput<int32_t>("input", {2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  t.AddInput<int64_t>("k", {}, {1});
  t.AddOutput<int32_t>("output", {2, 2, 2}, {0, 2, 0, 0, 0, 6, 0, 0});
  t.Run();
}

TEST(Trilu, RankOneIsAnError) {
  OpTest t("Trilu", 14);
  t.AddInput<float>("input", {3}, {1, 2, 3});
  t.AddOutputUnchecked("output");
  t.RunExpectError("rank");
}

}  // namespace onyx::test
