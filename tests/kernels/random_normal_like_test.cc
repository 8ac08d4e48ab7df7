#include "kernels/op_test.h"

namespace onyx::test {

TEST(RandomNormalLike, TakesShapeAndTypeFromInput) {
  OpTest t("RandomNormalLike", 1);
  t.AddAttr("seed", 3.0f);
  t.AddInput<double>("input", {2, 5}, std::vector<double>(10, 0.0));
  t.AddOutputUnchecked("output");
  std::vector<Value> a = t.RunAndGet();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].tensor().type(), DataType::kDouble);
  EXPECT_EQ(a[0].tensor().shape(), (Shape{2, 5}));
}

TEST(RandomNormalLike, IntegerInputNeedsDtype) {
  OpTest t("RandomNormalLike", 1);
  t.AddInput<int32_t>("input", {2}, {1, 2});
  t.AddOutputUnchecked("output");
  t.RunExpectError("dtype");
  OpTest d("RandomNormalLike", 22);
  d.AddAttr("dtype", int64_t{static_cast<int64_t>(DataType::kFloat)});
  d.AddInput<int32_t>("input", {2}, {1, 2});
  d.AddOutputUnchecked("output");
  std::vector<Value> a = d.RunAndGet();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].tensor().type(), DataType::kFloat);
}

}  // namespace onyx::test
