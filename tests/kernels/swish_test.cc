#include "kernels/op_test.h"

namespace onyx::test {

TEST(Swish, Alpha) {
  OpTest t("Swish", 24);
  t.AddAttr("alpha", 2.0f);
  t.AddInput<float>("X", {3}, {-1, 0, 1});
  // x * sigmoid(2x)
  t.AddOutput<float>("Y", {3}, {-0.119203f, 0.0f, 0.880797f});
  t.Run();
}

TEST(Swish, IntegerInputIsAnError) {
  OpTest t("Swish", 24);
  t.AddInput<int32_t>("X", {1}, {1});
  t.AddOutput<int32_t>("Y", {1}, {1});
  t.RunExpectError("");
}

}  // namespace onyx::test
