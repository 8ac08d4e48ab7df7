// Upsample: nearest and asymmetric linear resampling; expected values computed by hand.
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Upsample, Opset7NearestScalesAttribute) {
  OpTest t("Upsample", 7);
  t.AddAttr("scales", std::vector<float>{1, 1, 2, 2});
  t.AddInput<float>("X", {1, 1, 2, 2}, {1, 2, 3, 4});
  t.AddOutput<float>("Y", {1, 1, 4, 4}, {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
  t.Run();
}

TEST(Upsample, Opset9LinearScalesInput) {
  OpTest t("Upsample", 9);
  t.AddAttr("mode", std::string("linear"));
  t.AddInput<float>("X", {1, 2}, {1, 3});
  t.AddInput<float>("scales", {2}, {1, 2});
  t.AddOutput<float>("Y", {1, 4}, {1, 2, 3, 3});
  t.Run();
}

TEST(Upsample, Opset9NearestInt64FractionalScale) {
  OpTest t("Upsample", 9);
  t.AddInput<int64_t>("X", {3}, {10, 20, 30});
  t.AddConstantInput<float>("scales", {1}, {1.5f});
  t.AddOutput<int64_t>("Y", {4}, {10, 10, 20, 30});
  t.Run();
}

TEST(Upsample, Opset1HeightWidthScales) {
  OpTest t("Upsample", 1);
  t.AddAttr("height_scale", 2.0f);
  t.AddAttr("width_scale", 1.0f);
  t.AddInput<float>("X", {1, 1, 1, 2}, {5, 6});
  t.AddOutput<float>("Y", {1, 1, 2, 2}, {5, 6, 5, 6});
  t.Run();
}

TEST(Upsample, RejectsScalesOfWrongLength) {
  OpTest t("Upsample", 9);
  t.AddInput<float>("X", {1, 2}, {1, 3});
  t.AddInput<float>("scales", {1}, {2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("scales has 1 values");
}

}  // namespace onyx::test
