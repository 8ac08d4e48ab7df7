#include "kernels/op_test.h"

namespace onyx::test {

TEST(Compress, Axis0) {
  OpTest t("Compress", 11);
  t.AddAttr("axis", int64_t{0});
  t.AddInput<float>("input", {3, 2}, {1, 2, 3, 4, 5, 6});
  t.AddInput<bool>("condition", {2}, {false, true});
  t.AddOutput<float>("output", {1, 2}, {3, 4});
  t.Run();
}

TEST(Compress, NoAxisFlattens) {
  OpTest t("Compress", 11);
  t.AddInput<std::string>("input", {2, 2}, {"a", "b", "c", "d"});
  t.AddInput<bool>("condition", {4}, {true, false, false, true});
  t.AddOutput<std::string>("output", {2}, {"a", "d"});
  t.Run();
}

TEST(Compress, NegativeAxis) {
  OpTest t("Compress", 11);
  t.AddAttr("axis", int64_t{-1});
  t.AddInput<int32_t>("input", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<bool>("condition", {3}, {true, false, true});
  t.AddOutput<int32_t>("output", {2, 2}, {1, 3, 4, 6});
  t.Run();
}

TEST(Compress, LongConditionIsAnError) {
  OpTest t("Compress", 11);
  t.AddAttr("axis", int64_t{0});
  t.AddInput<float>("input", {1}, {1});
  t.AddInput<bool>("condition", {2}, {true, true});
  t.AddOutputUnchecked("output");
  t.RunExpectError("condition");
}

}  // namespace onyx::test
