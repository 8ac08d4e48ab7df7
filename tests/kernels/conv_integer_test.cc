#include "kernels/op_test.h"

namespace onyx::test {
namespace {

std::vector<uint8_t> Iota(int n) {
  std::vector<uint8_t> v;
  for (int i = 0; i < n; ++i) v.push_back(static_cast<uint8_t>(i));
  return v;
}

}  // namespace

TEST(ConvInteger, Basic) {
  OpTest t("ConvInteger", 10);
  t.AddInput<uint8_t>("x", {1, 1, 3, 3}, {2, 3, 4, 5, 6, 7, 8, 9, 10});
  t.AddInput<uint8_t>("w", {1, 1, 2, 2}, {1, 1, 1, 1});
  t.AddInput<uint8_t>("x_zero_point", {}, {1});
  t.AddOutput<int32_t>("y", {1, 1, 2, 2}, {12, 16, 24, 28});
  t.Run();
}

TEST(ConvInteger, GroupsAsymmetricPadsPerChannelZeroPoint) {
  OpTest t("ConvInteger", 10);
  t.AddAttr("group", int64_t{2});
  t.AddAttr("pads", std::vector<int64_t>{1, 0, 0, 1});
  t.AddInput<uint8_t>("x", {2, 2, 3, 3}, Iota(36));
  t.AddInput<int8_t>("w", {2, 1, 2, 2}, {0, 1, 2, 3, 4, 0, 1, 2});
  t.AddInput<uint8_t>("x_zero_point", {}, {3});
  t.AddInput<int8_t>("w_zero_point", {2}, {1, 2});
  t.AddOutput<int32_t>("y", {2, 2, 3, 3},
                       {-7, -4, -1, 5,  7,  3, 11, 13, 3, -6,  -7,  -8,  -11, -12, 5,  -14, -15, 8,
                        47, 50, 17, 41, 43, 3, 47, 49, 3, -24, -25, -26, -29, -30, 23, -32, -33, 26});
  t.Run();
}

TEST(ConvInteger, Errors) {
  OpTest t("ConvInteger", 10);
  t.AddInput<uint8_t>("x", {1, 2, 3, 3}, Iota(18));
  t.AddInput<uint8_t>("w", {1, 1, 2, 2}, {1, 1, 1, 1});
  t.AddOutputUnchecked("y");
  t.RunExpectError("channels");
  OpTest z("ConvInteger", 10);
  z.AddInput<uint8_t>("x", {1, 1, 2, 2}, {1, 2, 3, 4});
  z.AddInput<uint8_t>("w", {1, 1, 1, 1}, {1});
  z.AddInput<uint8_t>("x_zero_point", {2}, {1, 2});
  z.AddOutputUnchecked("y");
  z.RunExpectError("x_zero_point");
}

}  // namespace onyx::test
