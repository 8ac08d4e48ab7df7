#include "kernels/op_test.h"

namespace onyx::test {

namespace {
const std::vector<float> kX = {-1.5f,         -1.35714281f, -1.21428573f,  -1.07142854f,  -0.928571403f,  -0.785714269f,
                               -0.642857134f, -0.5f,        -0.357142806f, -0.214285731f, -0.0714285374f, 0.0714285374f,
                               0.214285731f,  0.357142806f, 0.5f,          0.642857075f,  0.785714388f,   0.928571463f,
                               1.07142854f,   1.21428561f,  1.35714293f,   1.5f,          1.64285707f,    1.78571439f};
}  // namespace

TEST(Softmax, DefaultAxisIsLast) {
  OpTest t("Softmax", 13);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddOutput<float>(
      "Y", {2, 3, 4},
      {0.199229375f, 0.229824036f, 0.26511696f, 0.305829644f, 0.199229375f, 0.229824036f, 0.26511696f, 0.305829644f,
       0.199229375f, 0.229824021f, 0.26511696f, 0.305829614f, 0.199229375f, 0.229824021f, 0.26511696f, 0.305829614f,
       0.199229389f, 0.229824036f, 0.26511696f, 0.305829614f, 0.199229375f, 0.229824021f, 0.26511693f, 0.305829674f});
  t.Run();
}

TEST(Softmax, MiddleAxis) {
  OpTest t("Softmax", 13);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddAttr("axis", int64_t{1});
  t.AddOutput<float>(
      "Y", {2, 3, 4},
      {0.169304714f, 0.169304729f, 0.169304714f, 0.169304729f, 0.299803942f, 0.299803942f, 0.299803942f, 0.299803942f,
       0.530891359f, 0.530891299f, 0.530891359f, 0.530891299f, 0.169304714f, 0.169304714f, 0.169304729f, 0.169304714f,
       0.299803972f, 0.299803972f, 0.299803942f, 0.299803913f, 0.530891299f, 0.530891299f, 0.530891299f, 0.530891359f});
  t.Run();
}

TEST(Softmax, Opset11CoercesTo2D) {
  OpTest t("Softmax", 11);
  t.AddInput<float>("X", {2, 3, 4}, kX);
  t.AddOutput<float>("Y", {2, 3, 4},
                     {0.0337304734f, 0.0389102958f, 0.0448855534f, 0.0517784059f, 0.0597297549f, 0.0689021498f,
                      0.0794831142f, 0.091688931f,  0.10576915f,   0.12201158f,   0.140748292f,  0.162362292f,
                      0.0337304734f, 0.0389102921f, 0.0448855534f, 0.0517783985f, 0.0597297587f, 0.0689021572f,
                      0.0794831067f, 0.0916889235f, 0.10576915f,   0.12201158f,   0.140748277f,  0.162362322f});
  t.Run();
}

TEST(Softmax, LargeNumbers) {
  OpTest t("Softmax", 13);
  t.AddInput<double>("X", {1, 2}, {10000, 10000});
  t.AddOutput<double>("Y", {1, 2}, {0.5, 0.5});
  t.Run();
}

TEST(Softmax, Float16) {
  OpTest t("Softmax", 13);
  t.AddInput<Float16>("X", {2}, {Float16{FloatToHalf(1.0f)}, Float16{FloatToHalf(1.0f)}});
  t.AddOutput<Float16>("Y", {2}, {Float16{FloatToHalf(0.5f)}, Float16{FloatToHalf(0.5f)}});
  t.Run();
}

TEST(Softmax, BadAxisIsAnError) {
  OpTest t("Softmax", 13);
  t.AddInput<float>("X", {2, 2}, {1, 2, 3, 4});
  t.AddAttr("axis", int64_t{2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("axis");
}

}  // namespace onyx::test
