#include "kernels/op_test.h"

namespace onyx::test {

TEST(LRN, AcrossChannels) {
  // size 3 around each channel: squares {1,4}, {1,4,9}, {4,9}; y = x / (1 +
  // alpha/size * sum)^beta.
  OpTest t("LRN", 13);
  t.AddInput<float>("X", {1, 3, 1, 1}, {1, 2, 3});
  t.AddAttr("size", int64_t{3});
  t.AddAttr("alpha", 3.0f);
  t.AddAttr("beta", 1.0f);
  t.AddAttr("bias", 1.0f);
  t.AddOutput<float>("Y", {1, 3, 1, 1}, {1.0f / 6, 2.0f / 15, 3.0f / 14});
  t.Run();
}

TEST(LRN, EvenSizeLooksFurtherAhead) {
  // size 2: the window is {c, c+1}.
  OpTest t("LRN", 1);
  t.AddInput<double>("X", {1, 2, 1}, {1, 2});
  t.AddAttr("size", int64_t{2});
  t.AddAttr("alpha", 2.0f);
  t.AddAttr("beta", 1.0f);
  t.AddAttr("bias", 0.0f);
  t.AddOutput<double>("Y", {1, 2, 1}, {1.0 / 5, 2.0 / 4});
  t.Run();
}

TEST(LRN, MissingSizeIsAnError) {
  OpTest t("LRN", 13);
  t.AddInput<float>("X", {1, 1, 1, 1}, {1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("size");
}

}  // namespace onyx::test
