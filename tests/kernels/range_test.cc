#include "kernels/op_test.h"

namespace onyx::test {

TEST(Range, Float) {
  OpTest t("Range", 11);
  t.AddInput<float>("start", {}, {1});
  t.AddInput<float>("limit", {}, {2});
  t.AddInput<float>("delta", {}, {0.25f});
  t.AddOutput<float>("output", {4}, {1, 1.25f, 1.5f, 1.75f});
  t.Run();
}

TEST(Range, NegativeDeltaInt) {
  OpTest t("Range", 11);
  t.AddInput<int32_t>("start", {}, {10});
  t.AddInput<int32_t>("limit", {}, {4});
  t.AddInput<int32_t>("delta", {}, {-3});
  t.AddOutput<int32_t>("output", {2}, {10, 7});
  t.Run();
  OpTest e("Range", 11);
  e.AddInput<int64_t>("start", {}, {1});
  e.AddInput<int64_t>("limit", {}, {0});
  e.AddInput<int64_t>("delta", {}, {1});
  e.AddOutput<int64_t>("output", {0}, {});
  e.Run();
}

TEST(Range, ZeroDeltaIsAnError) {
  OpTest t("Range", 11);
  t.AddInput<int64_t>("start", {}, {0});
  t.AddInput<int64_t>("limit", {}, {5});
  t.AddInput<int64_t>("delta", {}, {0});
  t.AddOutputUnchecked("output");
  t.RunExpectError("delta");
}

}  // namespace onyx::test
