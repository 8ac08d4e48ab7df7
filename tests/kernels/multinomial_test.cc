#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Multinomial, CertainClassAndShape) {
  // log(0) = -inf leaves only one possible class per row.
  const float kNegInf = -INFINITY;
  OpTest t("Multinomial", 7);
  t.AddAttr("sample_size", int64_t{3});
  t.AddInput<float>("input", {2, 3}, {kNegInf, 0.0f, kNegInf, 5.0f, kNegInf, kNegInf});
  t.AddOutput<int32_t>("output", {2, 3}, {1, 1, 1, 0, 0, 0});
  t.Run();
  OpTest l("Multinomial", 22);
  l.AddAttr("dtype", int64_t{static_cast<int64_t>(DataType::kInt64)});
  l.AddInput<double>("input", {1, 2}, {kNegInf, 1.0});
  l.AddOutput<int64_t>("output", {1, 1}, {1});
  l.Run();
}

TEST(Multinomial, SeededFrequencies) {
  OpTest t("Multinomial", 7);
  t.AddAttr("sample_size", int64_t{6000});
  t.AddAttr("seed", 4.0f);
  t.AddInput<float>("input", {1, 3}, {std::log(0.5f), std::log(0.3f), std::log(0.2f)});
  t.AddOutputUnchecked("output");
  std::vector<Value> a = t.RunAndGet();
  ASSERT_EQ(a.size(), 1u);
  int counts[3] = {0, 0, 0};
  for (int32_t v : a[0].tensor().values<int32_t>()) {
    ASSERT_GE(v, 0);
    ASSERT_LT(v, 3);
    ++counts[v];
  }
  EXPECT_NEAR(counts[0] / 6000.0, 0.5, 0.03);
  EXPECT_NEAR(counts[1] / 6000.0, 0.3, 0.03);
  EXPECT_NEAR(counts[2] / 6000.0, 0.2, 0.03);
}

TEST(Multinomial, Errors) {
  OpTest t("Multinomial", 7);
  t.AddInput<float>("input", {3}, {1, 2, 3});
  t.AddOutputUnchecked("output");
  t.RunExpectError("2-D");
}

}  // namespace onyx::test
