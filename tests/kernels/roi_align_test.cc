// Expected values computed with onnx.reference.ReferenceEvaluator (onnx 1.22) unless noted.
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
TEST(RoiAlign, AvgHalfPixel) {
  OpTest t("RoiAlign", 16);
  t.AddAttr("output_height", int64_t{2});
  t.AddAttr("output_width", int64_t{3});
  t.AddAttr("sampling_ratio", int64_t{2});
  t.AddInput<float>("X", {1, 2, 5, 5}, {0.0f, 1.5f, 3.0f, 4.5f, 6.0f, 7.5f, 9.0f, 0.0f, 1.5f, 3.0f, 4.5f, 6.0f, 7.5f,
                                        9.0f, 0.0f, 1.5f, 3.0f, 4.5f, 6.0f, 7.5f, 9.0f, 0.0f, 1.5f, 3.0f, 4.5f, 6.0f,
                                        7.5f, 9.0f, 0.0f, 1.5f, 3.0f, 4.5f, 6.0f, 7.5f, 9.0f, 0.0f, 1.5f, 3.0f, 4.5f,
                                        6.0f, 7.5f, 9.0f, 0.0f, 1.5f, 3.0f, 4.5f, 6.0f, 7.5f, 9.0f, 0.0f});
  t.AddInput<float>("rois", {3, 4},
                    {0.0f, 0.0f, 4.0f, 4.0f, 1.2000000476837158f, 0.5f, 3.700000047683716f, 4.099999904632568f, -1.0f,
                     2.0f, 2.0f, 6.0f});
  t.AddInput<int64_t>("batch_indices", {3}, {0, 0, 0});
  t.AddOutput<float>("Y", {3, 2, 2, 3},
                     {4.125f,
                      3.374999761581421f,
                      2.75f,
                      3.375f,
                      5.25f,
                      6.8125f,
                      4.875f,
                      6.75f,
                      4.8125f,
                      4.125f,
                      3.374999761581421f,
                      2.75f,
                      5.6490631103515625f,
                      2.8084373474121094f,
                      3.312499761581421f,
                      4.111093997955322f,
                      5.325000286102295f,
                      6.575000286102295f,
                      4.974999904632568f,
                      5.996406078338623f,
                      5.213124752044678f,
                      5.199062347412109f,
                      2.3584370613098145f,
                      2.862499713897705f,
                      1.5f,
                      3.1875f,
                      4.5f,
                      4.5f,
                      7.875f,
                      1.3125f,
                      1.875f,
                      3.9375f,
                      4.59375f,
                      2.25f,
                      4.6875f,
                      6.0f});
  t.Run();
}
TEST(RoiAlign, AvgOpset10AdaptiveSampling) {
  OpTest t("RoiAlign", 10);
  t.AddAttr("output_height", int64_t{2});
  t.AddAttr("output_width", int64_t{2});
  t.AddAttr("spatial_scale", 0.8f);
  // Opset 10 has no coordinate_transformation_mode; it behaves as output_half_pixel.
  t.AddInput<float>("X", {1, 2, 5, 5}, {0.0f, 1.5f, 3.0f, 4.5f, 6.0f, 7.5f, 9.0f, 0.0f, 1.5f, 3.0f, 4.5f, 6.0f, 7.5f,
                                        9.0f, 0.0f, 1.5f, 3.0f, 4.5f, 6.0f, 7.5f, 9.0f, 0.0f, 1.5f, 3.0f, 4.5f, 6.0f,
                                        7.5f, 9.0f, 0.0f, 1.5f, 3.0f, 4.5f, 6.0f, 7.5f, 9.0f, 0.0f, 1.5f, 3.0f, 4.5f,
                                        6.0f, 7.5f, 9.0f, 0.0f, 1.5f, 3.0f, 4.5f, 6.0f, 7.5f, 9.0f, 0.0f});
  t.AddInput<float>("rois", {3, 4},
                    {0.0f, 0.0f, 4.0f, 4.0f, 1.2000000476837158f, 0.5f, 3.700000047683716f, 4.099999904632568f, -1.0f,
                     2.0f, 2.0f, 6.0f});
  t.AddInput<int64_t>("batch_indices", {3}, {0, 0, 0});
  t.AddOutput<float>("Y", {3, 2, 2, 2}, {5.5199995040893555f, 2.250000476837158f,  4.5f,
                                         6.899999618530273f,  4.800000190734863f,  5.940000057220459f,
                                         3.780000686645508f,  2.3999998569488525f, 4.978799819946289f,
                                         2.84999942779541f,   5.010000228881836f,  6.510000705718994f,
                                         4.829999923706055f,  5.750400543212891f,  3.685199499130249f,
                                         2.010000467300415f,  3.374999523162842f,  4.799999713897705f,
                                         7.155000686645508f,  1.8599997758865356f, 3.075000762939453f,
                                         3.8700006008148193f, 5.174999237060547f,  6.284999847412109f});
  t.Run();
}
TEST(RoiAlign, MaxOutputHalfPixel) {
  OpTest t("RoiAlign", 22);
  t.AddAttr("output_height", int64_t{3});
  t.AddAttr("output_width", int64_t{2});
  t.AddAttr("sampling_ratio", int64_t{2});
  t.AddAttr("mode", std::string("max"));
  t.AddAttr("coordinate_transformation_mode", std::string("output_half_pixel"));
  t.AddInput<float>("X", {1, 2, 5, 5}, {0.0f, 1.5f, 3.0f, 4.5f, 6.0f, 7.5f, 9.0f, 0.0f, 1.5f, 3.0f, 4.5f, 6.0f, 7.5f,
                                        9.0f, 0.0f, 1.5f, 3.0f, 4.5f, 6.0f, 7.5f, 9.0f, 0.0f, 1.5f, 3.0f, 4.5f, 6.0f,
                                        7.5f, 9.0f, 0.0f, 1.5f, 3.0f, 4.5f, 6.0f, 7.5f, 9.0f, 0.0f, 1.5f, 3.0f, 4.5f,
                                        6.0f, 7.5f, 9.0f, 0.0f, 1.5f, 3.0f, 4.5f, 6.0f, 7.5f, 9.0f, 0.0f});
  t.AddInput<float>("rois", {3, 4},
                    {0.0f, 0.0f, 4.0f, 4.0f, 1.2000000476837158f, 0.5f, 3.700000047683716f, 4.099999904632568f, -1.0f,
                     2.0f, 2.0f, 6.0f});
  t.AddInput<int64_t>("batch_indices", {3}, {0, 0, 0});
  t.AddOutput<float>("Y", {3, 2, 3, 2},
                     {4.5f,
                      1.9999998807907104f,
                      2.500000238418579f,
                      3.000000476837158f,
                      3.000000476837158f,
                      3.75f,
                      3.0f,
                      4.5f,
                      1.5000007152557373f,
                      2.000000238418579f,
                      4.5f,
                      3.000000476837158f,
                      3.5099992752075195f,
                      2.745000123977661f,
                      6.468748569488525f,
                      6.862499237060547f,
                      3.1050004959106445f,
                      3.660001277923584f,
                      4.1399993896484375f,
                      4.575000286102295f,
                      2.6324994564056396f,
                      3.4312496185302734f,
                      5.174997806549072f,
                      5.4899983406066895f,
                      3.000000476837158f,
                      3.500000238418579f,
                      9.0f,
                      1.125f,
                      0.0f,
                      0.0f,
                      7.5f,
                      7.875f,
                      4.5f,
                      5.25f,
                      0.0f,
                      0.0f});
  t.Run();
}
TEST(RoiAlign, TwoBatchesDouble) {
  OpTest t("RoiAlign", 16);
  t.AddAttr("output_height", int64_t{2});
  t.AddAttr("output_width", int64_t{2});
  t.AddInput<double>(
      "X", {2, 1, 4, 4},
      {0.6939967274665833,   -0.7510793209075928,  0.46718090772628784,  -0.6243504881858826,  -0.2150164544582367,
       -0.536200225353241,   0.6824559569358826,   -0.21985089778900146, 0.9493856430053711,   0.2505229711532593,
       0.38724565505981445,  0.04305024445056915,  -0.3820635974407196,  -0.20888715982437134, 0.8818683624267578,
       -0.5975936055183411,  0.9764378070831299,   0.5166116952896118,   -0.28042614459991455, 0.28302717208862305,
       -0.23803691565990448, -0.23701412975788116, 0.007605900522321463, -0.9665543437004089,  -0.012856880202889442,
       0.9431968331336975,   -0.42906954884529114, 0.49643591046333313,  -0.11442221701145172, -0.581437885761261,
       0.8100051283836365,   -0.9663454294204712});
  t.AddInput<double>("rois", {2, 4}, {0.5, 0.5, 2.5, 3.0, 0.0, 1.0, 3.0, 3.0});
  t.AddInput<int64_t>("batch_indices", {2}, {1, 0});
  t.AddOutput<double>("Y", {2, 1, 2, 2},
                      {0.13149333000183105, -0.02740528088179417, 0.23522720840992406, 0.1623538183994242,
                       -0.31538638286292553, 0.2452317215502262, 0.7309910580515862, 0.32300760317593813});
  t.SetTolerance(1e-09, 1e-09);
  t.Run();
}

TEST(RoiAlign, RejectsBatchIndexOutOfRange) {
  OpTest t("RoiAlign", 16);
  t.AddInput<float>("X", {1, 1, 2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("rois", {1, 4}, {0, 0, 1, 1});
  t.AddInput<int64_t>("batch_indices", {1}, {1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("out of range");
}

TEST(RoiAlign, RejectsUnknownMode) {
  OpTest t("RoiAlign", 16);
  t.AddAttr("mode", std::string("sum"));
  t.AddInput<float>("X", {1, 1, 2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("rois", {1, 4}, {0, 0, 1, 1});
  t.AddInput<int64_t>("batch_indices", {1}, {0});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("mode");
}

}  // namespace onyx::test
