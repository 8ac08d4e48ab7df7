#include "kernels/op_test.h"

namespace onyx::test {

TEST(Pow, Float) {
  OpTest t("Pow", 15);
  t.AddInput<float>("X", {3}, {1, 2, 3});
  t.AddInput<float>("Y", {3}, {4, 5, 6});
  t.AddOutput<float>("Z", {3}, {1, 32, 729});
  t.Run();
}

TEST(Pow, ScalarExponents) {
  for (float e : {2.0f, 0.5f, 1.0f, 3.0f, -1.0f}) {
    OpTest t("Pow", 15);
    t.AddInput<float>("X", {3}, {1, 4, 9});
    t.AddInput<float>("Y", {}, {e});
    std::vector<float> expect;
    for (float v : {1.0f, 4.0f, 9.0f}) expect.push_back(std::pow(v, e));
    t.AddOutput<float>("Z", {3}, expect);
    t.Run();
  }
}

TEST(Pow, MixedTypes) {
  OpTest t("Pow", 15);
  t.AddInput<int32_t>("X", {3}, {1, 2, 3});
  t.AddInput<float>("Y", {3}, {4, 5, 6});
  t.AddOutput<int32_t>("Z", {3}, {1, 32, 729});
  t.Run();

  OpTest u("Pow", 15);
  u.AddInput<float>("X", {3}, {1, 2, 3});
  u.AddInput<int64_t>("Y", {3}, {4, 5, 6});
  u.AddOutput<float>("Z", {3}, {1, 32, 729});
  u.Run();

  OpTest v("Pow", 15);
  v.AddInput<int64_t>("X", {2}, {3, 2});
  v.AddInput<int64_t>("Y", {2}, {39, 0});
  v.AddOutput<int64_t>("Z", {2}, {4052555153018976267, 1});
  v.Run();
}

TEST(Pow, Broadcast) {
  OpTest t("Pow", 13);
  t.AddInput<double>("X", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<double>("Y", {3}, {1, 2, 3});
  t.AddOutput<double>("Z", {2, 3}, {1, 4, 27, 4, 25, 216});
  t.Run();
}

TEST(Pow, IncompatibleShapesIsAnError) {
  OpTest t("Pow", 13);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<float>("Y", {3}, {1, 2, 3});
  t.AddOutputUnchecked("Z");
  t.RunExpectError("broadcast");
}

}  // namespace onyx::test
