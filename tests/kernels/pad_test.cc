#include "kernels/op_test.h"

namespace onyx::test {

TEST(Pad, Constant) {
  OpTest t("Pad", 13);
  t.AddInput<float>("data", {2, 2}, {1, 2, 3, 4});
  t.AddInput<int64_t>("pads", {4}, {0, 1, 1, 0});
  t.AddInput<float>("constant_value", {}, {9});
  t.AddOutput<float>("output", {3, 3}, {9, 1, 2, 9, 3, 4, 9, 9, 9});
  t.Run();
}

TEST(Pad, Reflect) {
  OpTest t("Pad", 13);
  t.AddAttr("mode", std::string("reflect"));
  t.AddInput<int32_t>("data", {3}, {1, 2, 3});
  t.AddInput<int64_t>("pads", {2}, {2, 2});
  t.AddOutput<int32_t>("output", {7}, {3, 2, 1, 2, 3, 2, 1});
  t.Run();
}

TEST(Pad, Edge) {
  OpTest t("Pad", 13);
  t.AddAttr("mode", std::string("edge"));
  t.AddInput<float>("data", {2, 2}, {1, 2, 3, 4});
  t.AddInput<int64_t>("pads", {4}, {1, 0, 0, 1});
  t.AddOutput<float>("output", {3, 3}, {1, 2, 2, 1, 2, 2, 3, 4, 4});
  t.Run();
}

TEST(Pad, Wrap) {
  OpTest t("Pad", 19);
  t.AddAttr("mode", std::string("wrap"));
  t.AddInput<int64_t>("data", {3}, {1, 2, 3});
  t.AddInput<int64_t>("pads", {2}, {2, 1});
  t.AddOutput<int64_t>("output", {6}, {2, 3, 1, 2, 3, 1});
  t.Run();
}

TEST(Pad, NegativePadsCrop) {
  OpTest t("Pad", 13);
  t.AddInput<float>("data", {4}, {1, 2, 3, 4});
  t.AddInput<int64_t>("pads", {2}, {-1, 1});
  t.AddOutput<float>("output", {4}, {2, 3, 4, 0});
  t.Run();
}

TEST(Pad, AxesInput) {
  OpTest t("Pad", 18);
  t.AddInput<float>("data", {2, 2}, {1, 2, 3, 4});
  t.AddInput<int64_t>("pads", {2}, {1, 1});
  t.AddInput<float>("constant_value", {}, {0});
  t.AddInput<int64_t>("axes", {1}, {-1});
  t.AddOutput<float>("output", {2, 4}, {0, 1, 2, 0, 0, 3, 4, 0});
  t.Run();
}

TEST(Pad, StringsAndBool) {
  OpTest t("Pad", 18);
  t.AddInput<std::string>("data", {1}, {"a"});
  t.AddInput<int64_t>("pads", {2}, {1, 0});
  t.AddInput<std::string>("constant_value", {}, {"z"});
  t.AddOutput<std::string>("output", {2}, {"z", "a"});
  t.Run();
  OpTest b("Pad", 18);
  b.AddInput<bool>("data", {1}, {true});
  b.AddInput<int64_t>("pads", {2}, {0, 1});
  b.AddOutput<bool>("output", {2}, {true, false});
  b.Run();
}

TEST(Pad, Opset2AttributesAndValue) {
  OpTest t("Pad", 2);
  t.AddAttr("pads", std::vector<int64_t>{1, 0});
  t.AddAttr("value", 1.5f);
  t.AddInput<float>("data", {1}, {7});
  t.AddOutput<float>("output", {2}, {1.5f, 7});
  t.Run();
}

TEST(Pad, WrongPadCountIsAnError) {
  OpTest t("Pad", 13);
  t.AddInput<float>("data", {2, 2}, {1, 2, 3, 4});
  t.AddInput<int64_t>("pads", {2}, {1, 1});
  t.AddOutputUnchecked("output");
  t.RunExpectError("pads");
}

TEST(Pad, UnknownModeIsAnError) {
  OpTest t("Pad", 13);
  t.AddAttr("mode", std::string("mirror"));
  t.AddInput<float>("data", {2}, {1, 2});
  t.AddInput<int64_t>("pads", {2}, {1, 1});
  t.AddOutputUnchecked("output");
  t.RunExpectError("mode");
}

}  // namespace onyx::test
