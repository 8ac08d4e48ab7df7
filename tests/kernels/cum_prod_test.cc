#include "kernels/op_test.h"

namespace onyx::test {

TEST(CumProd, Basic) {
  OpTest t("CumProd", 26);
  t.AddInput<float>("x", {4}, {1, 2, 3, 4});
  t.AddInput<int32_t>("axis", {}, {0});
  t.AddOutput<float>("y", {4}, {1, 2, 6, 24});
  t.Run();
}

TEST(CumProd, Exclusive) {
  OpTest t("CumProd", 26);
  t.AddAttr("exclusive", int64_t{1});
  t.AddInput<int32_t>("x", {3}, {1, 2, 3});
  t.AddInput<int64_t>("axis", {}, {0});
  t.AddOutput<int32_t>("y", {3}, {1, 1, 2});
  t.Run();
}

TEST(CumProd, Reverse) {
  OpTest t("CumProd", 26);
  t.AddAttr("reverse", int64_t{1});
  t.AddInput<uint64_t>("x", {3}, {1, 2, 3});
  t.AddInput<int64_t>("axis", {}, {0});
  t.AddOutput<uint64_t>("y", {3}, {6, 6, 3});
  t.Run();
}

TEST(CumProd, ExclusiveReverse) {
  OpTest t("CumProd", 26);
  t.AddAttr("exclusive", int64_t{1});
  t.AddAttr("reverse", int64_t{1});
  t.AddInput<int64_t>("x", {3}, {1, 2, 3});
  t.AddInput<int64_t>("axis", {}, {0});
  t.AddOutput<int64_t>("y", {3}, {6, 3, 1});
  t.Run();
}

TEST(CumProd, NegativeAxisOf2D) {
  OpTest t("CumProd", 26);
  t.AddInput<double>("x", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int64_t>("axis", {}, {-1});
  t.AddOutput<double>("y", {2, 3}, {1, 2, 6, 4, 20, 120});
  t.Run();
}

TEST(CumProd, Axis0Of2D) {
  OpTest t("CumProd", 26);
  t.AddInput<uint32_t>("x", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int32_t>("axis", {1}, {0});
  t.AddOutput<uint32_t>("y", {2, 3}, {1, 2, 3, 4, 10, 18});
  t.Run();
}

TEST(CumProd, Float16) {
  OpTest t("CumProd", 26);
  t.AddInput<Float16>("x", {3}, {Float16{FloatToHalf(0.5f)}, Float16{FloatToHalf(4.0f)}, Float16{FloatToHalf(-1.5f)}});
  t.AddInput<int64_t>("axis", {}, {0});
  t.AddOutput<Float16>("y", {3}, {Float16{FloatToHalf(0.5f)}, Float16{FloatToHalf(2.0f)}, Float16{FloatToHalf(-3.0f)}});
  t.Run();
}

TEST(CumProd, BadAxisIsAnError) {
  OpTest t("CumProd", 26);
  t.AddInput<float>("x", {2}, {1, 2});
  t.AddInput<int64_t>("axis", {}, {1});
  t.AddOutputUnchecked("y");
  t.RunExpectError("out of range");
}

TEST(CumProd, NonScalarAxisIsAnError) {
  OpTest t("CumProd", 26);
  t.AddInput<float>("x", {2}, {1, 2});
  t.AddInput<int64_t>("axis", {2}, {0, 0});
  t.AddOutputUnchecked("y");
  t.RunExpectError("scalar");
}

TEST(CumProd, BadExclusiveIsAnError) {
  OpTest t("CumProd", 26);
  t.AddAttr("exclusive", int64_t{2});
  t.AddInput<float>("x", {2}, {1, 2});
  t.AddInput<int64_t>("axis", {}, {0});
  t.AddOutputUnchecked("y");
  t.RunExpectError("exclusive");
}

}  // namespace onyx::test
