#include "kernels/op_test.h"

namespace onyx::test {

TEST(StringConcat, SameShape) {
  OpTest t("StringConcat", 20);
  t.AddInput<std::string>("x", {2}, {"abc", ""});
  t.AddInput<std::string>("y", {2}, {"d", "é"});
  t.AddOutput<std::string>("z", {2}, {"abcd", "é"});
  t.Run();
}

TEST(StringConcat, Broadcast) {
  OpTest t("StringConcat", 20);
  t.AddInput<std::string>("x", {2, 1}, {"a", "b"});
  t.AddInput<std::string>("y", {3}, {"1", "2", "3"});
  t.AddOutput<std::string>("z", {2, 3}, {"a1", "a2", "a3", "b1", "b2", "b3"});
  t.Run();
  OpTest u("StringConcat", 20);
  u.AddInput<std::string>("x", {}, {"cat"});
  u.AddInput<std::string>("y", {2}, {"s", "fish"});
  u.AddOutput<std::string>("z", {2}, {"cats", "catfish"});
  u.Run();
}

TEST(StringConcat, Errors) {
  OpTest t("StringConcat", 20);
  t.AddInput<std::string>("x", {2}, {"a", "b"});
  t.AddInput<std::string>("y", {3}, {"1", "2", "3"});
  t.AddOutputUnchecked("z");
  t.RunExpectError("broadcast");
}

}  // namespace onyx::test
