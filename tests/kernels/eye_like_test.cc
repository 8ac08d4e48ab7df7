#include "kernels/op_test.h"

namespace onyx::test {

TEST(EyeLike, Square) {
  OpTest t("EyeLike", 22);
  t.AddInput<float>("input", {2, 2}, {5, 5, 5, 5});
  t.AddOutput<float>("output", {2, 2}, {1, 0, 0, 1});
  t.Run();
}

TEST(EyeLike, OffsetAndDtype) {
  OpTest t("EyeLike", 9);
  t.AddAttr("k", int64_t{1});
  t.AddAttr("dtype", int64_t{static_cast<int64_t>(DataType::kInt32)});
  t.AddInput<float>("input", {2, 3}, {0, 0, 0, 0, 0, 0});
  t.AddOutput<int32_t>("output", {2, 3}, {0, 1, 0, 0, 0, 1});
  t.Run();
}

TEST(EyeLike, NotTwoDIsAnError) {
  OpTest t("EyeLike", 22);
  t.AddInput<float>("input", {2}, {0, 0});
  t.AddOutputUnchecked("output");
  t.RunExpectError("2-D");
}

}  // namespace onyx::test
