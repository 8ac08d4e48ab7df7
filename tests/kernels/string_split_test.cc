#include "kernels/op_test.h"

namespace onyx::test {

TEST(StringSplit, Delimiter) {
  OpTest t("StringSplit", 20);
  t.AddInput<std::string>("x", {3}, {"a,b,,c", "", "xyz"});
  t.AddAttr("delimiter", std::string(","));
  t.AddOutput<std::string>("y", {3, 4}, {"a", "b", "", "c", "", "", "", "", "xyz", "", "", ""});
  t.AddOutput<int64_t>("z", {3}, {4, 1, 1});
  t.Run();
}

TEST(StringSplit, MultiCharDelimiterAndMaxsplit) {
  OpTest t("StringSplit", 20);
  t.AddInput<std::string>("x", {2}, {"1<>2<>3", "4"});
  t.AddAttr("delimiter", std::string("<>"));
  t.AddAttr("maxsplit", int64_t{1});
  t.AddOutput<std::string>("y", {2, 2}, {"1", "2<>3", "4", ""});
  t.AddOutput<int64_t>("z", {2}, {2, 1});
  t.Run();
}

TEST(StringSplit, Whitespace) {
  OpTest t("StringSplit", 20);
  t.AddInput<std::string>("x", {1, 3}, {"  hello \t world  ", "", "a b  c "});
  t.AddAttr("maxsplit", int64_t{1});
  t.AddOutput<std::string>("y", {1, 3, 2}, {"hello", "world  ", "", "", "a", "b  c "});
  t.AddOutput<int64_t>("z", {1, 3}, {2, 0, 2});
  t.Run();
}

TEST(StringSplit, EmptyInput) {
  OpTest t("StringSplit", 20);
  t.AddInput<std::string>("x", {0}, {});
  t.AddOutput<std::string>("y", {0, 0}, {});
  t.AddOutput<int64_t>("z", {0}, {});
  t.Run();
}

TEST(StringSplit, NotStringFails) {
  OpTest t("StringSplit", 20);
  t.AddInput<float>("x", {1}, {1});
  t.AddOutputUnchecked("y");
  t.AddOutputUnchecked("z");
  t.RunExpectError("string");
}

}  // namespace onyx::test
