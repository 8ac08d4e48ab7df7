#include "kernels/op_test.h"

namespace onyx::test {

TEST(RegexFullMatch, Basic) {
  OpTest t("RegexFullMatch", 20);
  t.AddInput<std::string>("x", {2, 2}, {"www.google.com", "www.facebook.com", "www.bbc.co.uk", "google.com"});
  t.AddAttr("pattern", std::string(R"(www\.[\w.-]+\.\bcom\b)"));
  t.AddOutput<bool>("y", {2, 2}, {true, true, false, false});
  t.Run();
}

TEST(RegexFullMatch, FullNotPartial) {
  OpTest t("RegexFullMatch", 20);
  t.AddInput<std::string>("x", {3}, {"abc", "xabc", ""});
  t.AddAttr("pattern", std::string("a?bc|"));
  t.AddOutput<bool>("y", {3}, {true, false, true});
  t.Run();
}

TEST(RegexFullMatch, Errors) {
  OpTest t("RegexFullMatch", 20);
  t.AddInput<std::string>("x", {1}, {"a"});
  t.AddAttr("pattern", std::string("(unclosed"));
  t.AddOutputUnchecked("y");
  t.RunExpectError("invalid RE2 pattern");
  OpTest u("RegexFullMatch", 20);
  u.AddInput<std::string>("x", {1}, {"a"});
  u.AddOutputUnchecked("y");
  u.RunExpectError("'pattern' is required");
}

}  // namespace onyx::test
