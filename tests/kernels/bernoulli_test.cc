#include "kernels/op_test.h"

namespace onyx::test {

TEST(Bernoulli, CertainProbabilitiesAreExact) {
  OpTest t("Bernoulli", 15);
  t.AddInput<float>("input", {4}, {0, 1, 1, 0});
  t.AddOutput<float>("output", {4}, {0, 1, 1, 0});
  t.Run();
  OpTest b("Bernoulli", 22);
  b.AddAttr("dtype", int64_t{static_cast<int64_t>(DataType::kBool)});
  b.AddInput<double>("input", {3}, {1, 0, 1});
  b.AddOutput<bool>("output", {3}, {true, false, true});
  b.Run();
}

TEST(Bernoulli, SeededFrequency) {
  OpTest t("Bernoulli", 15);
  t.AddAttr("seed", 2.0f);
  t.AddAttr("dtype", int64_t{static_cast<int64_t>(DataType::kInt32)});
  t.AddInput<float>("input", {4000}, std::vector<float>(4000, 0.25f));
  t.AddOutputUnchecked("output");
  std::vector<Value> a = t.RunAndGet();
  ASSERT_EQ(a.size(), 1u);
  int64_t ones = 0;
  for (int32_t v : a[0].tensor().values<int32_t>()) ones += v;
  EXPECT_NEAR(static_cast<double>(ones) / 4000, 0.25, 0.03);
}

TEST(Bernoulli, RejectsBadProbability) {
  OpTest t("Bernoulli", 15);
  t.AddInput<float>("input", {2}, {0.5f, 1.5f});
  t.AddOutputUnchecked("output");
  t.RunExpectError("outside");
}

}  // namespace onyx::test
