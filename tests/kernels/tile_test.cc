#include "kernels/op_test.h"

namespace onyx::test {

TEST(Tile, Basic) {
  OpTest t("Tile", 13);
  t.AddInput<float>("input", {2, 2}, {1, 2, 3, 4});
  t.AddInput<int64_t>("repeats", {2}, {2, 1});
  t.AddOutput<float>("output", {4, 2}, {1, 2, 3, 4, 1, 2, 3, 4});
  t.Run();
}

TEST(Tile, InnerRepeatAndStrings) {
  OpTest t("Tile", 13);
  t.AddInput<std::string>("input", {1, 2}, {"a", "b"});
  t.AddConstantInput<int64_t>("repeats", {2}, {1, 2});
  t.AddOutput<std::string>("output", {1, 4}, {"a", "b", "a", "b"});
  t.Run();
}

TEST(Tile, ZeroRepeat) {
  OpTest t("Tile", 13);
  t.AddInput<int32_t>("input", {2}, {1, 2});
  t.AddInput<int64_t>("repeats", {1}, {0});
  t.AddOutput<int32_t>("output", {0}, {});
  t.Run();
}

TEST(Tile, WrongRepeatCountIsAnError) {
  OpTest t("Tile", 13);
  t.AddInput<float>("input", {2}, {1, 2});
  t.AddInput<int64_t>("repeats", {2}, {1, 2});
  t.AddOutputUnchecked("output");
  t.RunExpectError("repeats");
}

}  // namespace onyx::test
