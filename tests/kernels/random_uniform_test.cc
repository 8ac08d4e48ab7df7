#include "kernels/op_test.h"

namespace onyx::test {

TEST(RandomUniform, RangeAndFloat16) {
  OpTest t("RandomUniform", 1);
  t.AddAttr("shape", std::vector<int64_t>{1000});
  t.AddAttr("low", -2.0f);
  t.AddAttr("high", 5.0f);
  t.AddAttr("seed", 1.0f);
  t.AddOutputUnchecked("output");
  std::vector<Value> a = t.RunAndGet();
  ASSERT_EQ(a.size(), 1u);
  for (float v : a[0].tensor().values<float>()) {
    EXPECT_GE(v, -2.0f);
    EXPECT_LT(v, 5.0f);
  }
  OpTest h("RandomUniform", 22);
  h.AddAttr("shape", std::vector<int64_t>{2, 3});
  h.AddAttr("dtype", int64_t{static_cast<int64_t>(DataType::kFloat16)});
  h.AddOutputUnchecked("output");
  std::vector<Value> b = h.RunAndGet();
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].tensor().type(), DataType::kFloat16);
  EXPECT_EQ(b[0].tensor().shape(), (Shape{2, 3}));
}

TEST(RandomUniform, Errors) {
  OpTest t("RandomUniform", 1);
  t.AddAttr("shape", std::vector<int64_t>{2});
  t.AddAttr("low", 1.0f);
  t.AddAttr("high", 0.5f);
  t.AddOutputUnchecked("output");
  t.RunExpectError("low");
  OpTest s("RandomUniform", 1);
  s.AddAttr("shape", std::vector<int64_t>{-2});
  s.AddOutputUnchecked("output");
  s.RunExpectError("negative");
}

}  // namespace onyx::test
