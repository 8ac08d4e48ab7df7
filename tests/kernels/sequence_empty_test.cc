#include "kernels/op_test.h"

namespace onyx::test {

TEST(SequenceEmpty, DefaultFloat) {
  OpTest t("SequenceEmpty", 11);
  t.AddOutputUnchecked("s");
  std::vector<Value> out = t.RunAndGet();
  ASSERT_EQ(out.size(), 1u);
  ASSERT_TRUE(out[0].is_sequence());
  EXPECT_TRUE(out[0].sequence().items.empty());
  EXPECT_EQ(out[0].sequence().elem_type, DataType::kFloat);
}

TEST(SequenceEmpty, Dtype) {
  OpTest t("SequenceEmpty", 11);
  t.AddAttr("dtype", int64_t{7});
  t.AddOutputUnchecked("s");
  std::vector<Value> out = t.RunAndGet();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].sequence().elem_type, DataType::kInt64);
}

TEST(SequenceEmpty, BadDtype) {
  OpTest t("SequenceEmpty", 11);
  t.AddAttr("dtype", int64_t{99});
  t.AddOutputUnchecked("s");
  t.RunExpectError("dtype");
}

}  // namespace onyx::test
