#include "kernels/op_test.h"

namespace onyx::test {

TEST(StringNormalizer, CaseInsensitiveStopwordsUpper) {
  OpTest t("StringNormalizer", 10);
  t.AddInput<std::string>("x", {1, 4}, {"Monday", "tuesday", "MONDAY", "wed"});
  t.AddAttr("case_change_action", std::string("UPPER"));
  t.AddAttr("stopwords", std::vector<std::string>{"monday"});
  t.AddOutput<std::string>("y", {1, 2}, {"TUESDAY", "WED"});
  t.Run();
}

TEST(StringNormalizer, CaseSensitiveLower) {
  OpTest t("StringNormalizer", 10);
  t.AddInput<std::string>("x", {3}, {"Monday", "monday", "ABC"});
  t.AddAttr("case_change_action", std::string("LOWER"));
  t.AddAttr("is_case_sensitive", int64_t{1});
  t.AddAttr("stopwords", std::vector<std::string>{"monday"});
  t.AddOutput<std::string>("y", {2}, {"monday", "abc"});
  t.Run();
}

TEST(StringNormalizer, NoChangeAndAllDropped) {
  OpTest t("StringNormalizer", 10);
  t.AddInput<std::string>("x", {2}, {"Aa", "bB"});
  t.AddOutput<std::string>("y", {2}, {"Aa", "bB"});
  t.Run();
  OpTest u("StringNormalizer", 10);
  u.AddInput<std::string>("x", {1, 2}, {"a", "A"});
  u.AddAttr("stopwords", std::vector<std::string>{"a"});
  u.AddOutput<std::string>("y", {1, 1}, {""});
  u.Run();
}

TEST(StringNormalizer, Utf8CaseMapping) {
  OpTest t("StringNormalizer", 10);
  t.AddInput<std::string>("x", {2}, {"\xc3\x84rger", "\xc3\xa9t\xc3\xa9"});  // "Ärger", "été"
  t.AddAttr("case_change_action", std::string("UPPER"));
  t.AddOutput<std::string>("y", {2}, {"\xc3\x84RGER", "\xc3\x89T\xc3\x89"});
  t.Run();
  // The second string is not UTF-8: only its ASCII letters change.
  const std::string bad = std::string("\xff\xfe") + "AB";
  const std::string bad_lower = std::string("\xff\xfe") + "ab";
  OpTest u("StringNormalizer", 10);
  u.AddInput<std::string>("x", {2}, {"\xc3\x84rger", bad});
  u.AddAttr("case_change_action", std::string("LOWER"));
  u.AddOutput<std::string>("y", {2}, {"\xc3\xa4rger", bad_lower});
  u.Run();
}

TEST(StringNormalizer, Errors) {
  OpTest t("StringNormalizer", 10);
  t.AddInput<std::string>("x", {2, 2}, {"a", "b", "c", "d"});
  t.AddOutputUnchecked("y");
  t.RunExpectError("[C] or [1, C]");
  OpTest u("StringNormalizer", 10);
  u.AddInput<std::string>("x", {1}, {"a"});
  u.AddAttr("case_change_action", std::string("TITLE"));
  u.AddOutputUnchecked("y");
  u.RunExpectError("case_change_action");
}

}  // namespace onyx::test
