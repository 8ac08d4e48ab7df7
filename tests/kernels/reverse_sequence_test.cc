#include "kernels/op_test.h"

namespace onyx::test {

TEST(ReverseSequence, TimeMajor) {
  OpTest t("ReverseSequence", 10);
  t.AddInput<float>("input", {3, 2}, {1, 2, 3, 4, 5, 6});  // [time, batch]
  t.AddInput<int64_t>("sequence_lens", {2}, {3, 1});
  t.AddOutput<float>("Y", {3, 2}, {5, 2, 3, 4, 1, 6});
  t.Run();
}

TEST(ReverseSequence, BatchMajor) {
  OpTest t("ReverseSequence", 10);
  t.AddAttr("batch_axis", int64_t{0});
  t.AddAttr("time_axis", int64_t{1});
  t.AddInput<std::string>("input", {2, 3}, {"a", "b", "c", "d", "e", "f"});
  t.AddInput<int64_t>("sequence_lens", {2}, {2, 3});
  t.AddOutput<std::string>("Y", {2, 3}, {"b", "a", "c", "f", "e", "d"});
  t.Run();
}

TEST(ReverseSequence, LengthTooLongIsAnError) {
  OpTest t("ReverseSequence", 10);
  t.AddInput<float>("input", {2, 1}, {1, 2});
  t.AddInput<int64_t>("sequence_lens", {1}, {3});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("out of range");
}

}  // namespace onyx::test
