#include <limits>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Slice, StartsEndsAxesSteps) {
  OpTest t("Slice", 13);
  t.AddInput<float>("data", {2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  t.AddInput<int64_t>("starts", {2}, {1, 0});
  t.AddInput<int64_t>("ends", {2}, {2, 3});
  t.AddInput<int64_t>("axes", {2}, {0, 1});
  t.AddInput<int64_t>("steps", {2}, {1, 2});
  t.AddOutput<float>("output", {1, 2}, {5, 7});
  t.Run();
}

TEST(Slice, NegativeStepReverses) {
  OpTest t("Slice", 13);
  t.AddInput<int32_t>("data", {5}, {0, 1, 2, 3, 4});
  t.AddInput<int64_t>("starts", {1}, {-1});
  t.AddInput<int64_t>("ends", {1}, {std::numeric_limits<int64_t>::min()});
  t.AddInput<int64_t>("axes", {1}, {0});
  t.AddInput<int64_t>("steps", {1}, {-2});
  t.AddOutput<int32_t>("output", {3}, {4, 2, 0});
  t.Run();
}

TEST(Slice, ClampsOutOfBounds) {
  OpTest t("Slice", 13);
  t.AddInput<std::string>("data", {3}, {"a", "b", "c"});
  t.AddConstantInput<int64_t>("starts", {1}, {-100});
  t.AddConstantInput<int64_t>("ends", {1}, {std::numeric_limits<int64_t>::max()});
  t.AddOutput<std::string>("output", {3}, {"a", "b", "c"});
  t.Run();
  OpTest e("Slice", 13);
  e.AddInput<float>("data", {3}, {1, 2, 3});
  e.AddInput<int64_t>("starts", {1}, {5});
  e.AddInput<int64_t>("ends", {1}, {10});
  e.AddOutput<float>("output", {0}, {});
  e.Run();
}

TEST(Slice, Int32IndicesAndNegativeAxis) {
  OpTest t("Slice", 11);
  t.AddInput<double>("data", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int32_t>("starts", {1}, {1});
  t.AddInput<int32_t>("ends", {1}, {3});
  t.AddInput<int32_t>("axes", {1}, {-1});
  t.AddOutput<double>("output", {2, 2}, {2, 3, 5, 6});
  t.Run();
}

TEST(Slice, Opset1Attributes) {
  OpTest t("Slice", 1);
  t.AddAttr("starts", std::vector<int64_t>{0, 1});
  t.AddAttr("ends", std::vector<int64_t>{1, 1000});
  t.AddInput<float>("data", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddOutput<float>("output", {1, 2}, {2, 3});
  t.Run();
}

TEST(Slice, ZeroStepIsAnError) {
  OpTest t("Slice", 13);
  t.AddInput<float>("data", {3}, {1, 2, 3});
  t.AddInput<int64_t>("starts", {1}, {0});
  t.AddInput<int64_t>("ends", {1}, {3});
  t.AddInput<int64_t>("axes", {1}, {0});
  t.AddInput<int64_t>("steps", {1}, {0});
  t.AddOutputUnchecked("output");
  t.RunExpectError("step 0");
}

TEST(Slice, MismatchedLengthsIsAnError) {
  OpTest t("Slice", 13);
  t.AddInput<float>("data", {3}, {1, 2, 3});
  t.AddInput<int64_t>("starts", {2}, {0, 0});
  t.AddInput<int64_t>("ends", {1}, {3});
  t.AddOutputUnchecked("output");
  t.RunExpectError("starts");
}

TEST(Slice, WholeWindowIsTheInput) {
  // Every axis whole (ends past the dims, a step on an axis of size 1): the output is the input, shared.
  OpTest t("Slice", 13);
  t.AddInput<float>("data", {2, 1, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<int64_t>("starts", {3}, {0, 0, 0});
  t.AddInput<int64_t>("ends", {3}, {10, 1, std::numeric_limits<int64_t>::max()});
  t.AddInput<int64_t>("axes", {3}, {0, 1, 2});
  t.AddInput<int64_t>("steps", {3}, {1, 5, 1});
  t.AddOutput<float>("output", {2, 1, 3}, {1, 2, 3, 4, 5, 6});
  t.Run();
}

TEST(Slice, WholeLengthReversedIsNotTheInput) {
  OpTest t("Slice", 13);
  t.AddInput<float>("data", {3}, {1, 2, 3});
  t.AddInput<int64_t>("starts", {1}, {-1});
  t.AddInput<int64_t>("ends", {1}, {std::numeric_limits<int64_t>::min()});
  t.AddInput<int64_t>("axes", {1}, {0});
  t.AddInput<int64_t>("steps", {1}, {-1});
  t.AddOutput<float>("output", {3}, {3, 2, 1});
  t.Run();
}

// Found by the `run` fuzz target (tests/fuzz/regressions/run/): a huge step overflowed the stride and count
// arithmetic (undefined; UBSan stopped there). Steps longer than the dim take the first element they reach.
TEST(Slice, HugeStepsTakeOneElement) {
  OpTest t("Slice", 13);
  t.AddInput<float>("data", {2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  t.AddInput<int64_t>("starts", {2}, {0, -1});
  t.AddInput<int64_t>("ends", {2}, {2, std::numeric_limits<int64_t>::min()});
  t.AddInput<int64_t>("axes", {2}, {0, 1});
  t.AddInput<int64_t>("steps", {2}, {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()});
  t.AddOutput<float>("output", {1, 1}, {5});
  t.Run();
}

}  // namespace onyx::test
