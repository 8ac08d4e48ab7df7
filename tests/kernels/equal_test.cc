#include "kernels/op_test.h"

namespace onyx::test {

TEST(Equal, Int) {
  OpTest t("Equal", 13);
  t.AddInput<int32_t>("A", {3}, {1, 2, 3});
  t.AddInput<int32_t>("B", {3}, {1, 0, 3});
  t.AddOutput<bool>("C", {3}, {true, false, true});
  t.Run();
}

TEST(Equal, FloatBroadcast) {
  OpTest t("Equal", 11);
  t.AddInput<float>("A", {2, 2}, {1, 2, 2, 1});
  t.AddInput<float>("B", {2}, {1, 2});
  t.AddOutput<bool>("C", {2, 2}, {true, true, false, false});
  t.Run();
}

TEST(Equal, Strings) {
  OpTest t("Equal", 19);
  t.AddInput<std::string>("A", {2}, {"string1", "string2"});
  t.AddInput<std::string>("B", {1}, {"string1"});
  t.AddOutput<bool>("C", {2}, {true, false});
  t.Run();
}

TEST(Equal, Bool) {
  OpTest t("Equal", 13);
  t.AddInput<bool>("A", {2}, {true, false});
  t.AddInput<bool>("B", {2}, {true, true});
  t.AddOutput<bool>("C", {2}, {true, false});
  t.Run();
}

TEST(Equal, IncompatibleShapesIsAnError) {
  OpTest t("Equal", 13);
  t.AddInput<float>("A", {2}, {1, 2});
  t.AddInput<float>("B", {3}, {1, 2, 3});
  t.AddOutputUnchecked("C");
  t.RunExpectError("broadcast");
}

}  // namespace onyx::test
