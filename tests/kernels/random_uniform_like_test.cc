#include "kernels/op_test.h"

namespace onyx::test {

TEST(RandomUniformLike, RangeShapeAndSeed) {
  OpTest t("RandomUniformLike", 1);
  t.AddAttr("low", 10.0f);
  t.AddAttr("high", 11.0f);
  t.AddAttr("seed", 5.0f);
  t.AddInput<float>("input", {4, 4}, std::vector<float>(16, 0.0f));
  t.AddOutputUnchecked("output");
  std::vector<Value> a = t.RunAndGet();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].tensor().shape(), (Shape{4, 4}));
  for (float v : a[0].tensor().values<float>()) {
    EXPECT_GE(v, 10.0f);
    EXPECT_LT(v, 11.0f);
  }
  std::vector<Value> b = t.RunAndGet();
  EXPECT_EQ(CompareValues(a[0], b[0], 0, 0), "");
}

TEST(RandomUniformLike, BadDtype) {
  OpTest t("RandomUniformLike", 1);
  t.AddAttr("dtype", int64_t{static_cast<int64_t>(DataType::kInt32)});
  t.AddInput<float>("input", {2}, {0, 0});
  t.AddOutputUnchecked("output");
  t.RunExpectError("dtype");
}

}  // namespace onyx::test
