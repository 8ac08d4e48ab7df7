#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(RandomNormal, ShapeTypeSeedAndMoments) {
  OpTest t("RandomNormal", 1);
  t.AddAttr("shape", std::vector<int64_t>{100, 100});
  t.AddAttr("mean", 3.0f);
  t.AddAttr("scale", 0.5f);
  t.AddAttr("seed", 7.0f);
  t.AddOutputUnchecked("output");
  std::vector<Value> a = t.RunAndGet();
  ASSERT_EQ(a.size(), 1u);
  const Tensor& y = a[0].tensor();
  EXPECT_EQ(y.type(), DataType::kFloat);
  EXPECT_EQ(y.shape(), (Shape{100, 100}));
  double sum = 0, sq = 0;
  for (float v : y.values<float>()) {
    sum += v;
    sq += v * v;
  }
  const double mean = sum / 10000, var = sq / 10000 - mean * mean;
  EXPECT_NEAR(mean, 3.0, 0.05);
  EXPECT_NEAR(std::sqrt(var), 0.5, 0.05);
  // The same seed in a fresh session replays the sequence.
  std::vector<Value> b = t.RunAndGet();
  EXPECT_EQ(CompareValues(a[0], b[0], 0, 0), "");
}

TEST(RandomNormal, DtypeDoubleAndBadScale) {
  OpTest t("RandomNormal", 22);
  t.AddAttr("shape", std::vector<int64_t>{3});
  t.AddAttr("dtype", int64_t{static_cast<int64_t>(DataType::kDouble)});
  t.AddOutputUnchecked("output");
  std::vector<Value> a = t.RunAndGet();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].tensor().type(), DataType::kDouble);
  OpTest bad("RandomNormal", 22);
  bad.AddAttr("shape", std::vector<int64_t>{3});
  bad.AddAttr("scale", -1.0f);
  bad.AddOutputUnchecked("output");
  bad.RunExpectError("scale");
}

}  // namespace onyx::test
