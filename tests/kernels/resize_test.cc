// Expected values computed with onnx.reference.ReferenceEvaluator (onnx 1.22) unless noted.
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {

namespace {
std::vector<Float16> H(const std::vector<float>& v) {
  std::vector<Float16> out;
  for (float f : v) out.push_back(Float16{FloatToHalf(f)});
  return out;
}
}  // namespace
TEST(Resize, NearestUpsampleScales) {
  OpTest t("Resize", 19);
  t.AddAttr("mode", std::string("nearest"));
  t.AddInput<float>("X", {1, 1, 2, 2}, {1.0f, 2.0f, 3.0f, 4.0f});
  t.AddMissingInput();
  t.AddInput<float>("scales", {4}, {1.0f, 1.0f, 2.0f, 3.0f});
  t.AddOutput<float>("Y", {1, 1, 4, 6}, {1.0f, 1.0f, 1.0f, 2.0f, 2.0f, 2.0f, 1.0f, 1.0f, 1.0f, 2.0f, 2.0f, 2.0f,
                                         3.0f, 3.0f, 3.0f, 4.0f, 4.0f, 4.0f, 3.0f, 3.0f, 3.0f, 4.0f, 4.0f, 4.0f});
  t.Run();
}
TEST(Resize, LinearDownsampleHalfPixel) {
  OpTest t("Resize", 19);
  t.AddAttr("mode", std::string("linear"));
  t.AddInput<float>(
      "X", {1, 1, 4, 4},
      {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f, 7.0f, 8.0f, 9.0f, 10.0f, 11.0f, 12.0f, 13.0f, 14.0f, 15.0f, 16.0f});
  t.AddMissingInput();
  t.AddInput<float>("scales", {4}, {1.0f, 1.0f, 0.6000000238418579f, 0.6000000238418579f});
  t.AddOutput<float>("Y", {1, 1, 2, 2},
                     {2.6666665077209473f, 4.3333330154418945f, 9.333333015441895f, 10.999999046325684f});
  t.Run();
}
TEST(Resize, CubicAlignCornersUpsample) {
  OpTest t("Resize", 19);
  t.AddAttr("mode", std::string("cubic"));
  t.AddAttr("coordinate_transformation_mode", std::string("align_corners"));
  t.AddInput<float>("X", {1, 1, 2, 2}, {1.0f, 2.0f, 3.0f, 4.0f});
  t.AddMissingInput();
  t.AddInput<float>("scales", {4}, {1.0f, 1.0f, 1.5f, 2.0f});
  t.AddOutput<float>("Y", {1, 1, 3, 4},
                     {1.0f, 1.3148143291473389f, 1.6851848363876343f, 2.0f, 2.0f, 2.3148140907287598f,
                      2.6851844787597656f, 3.0f, 3.0f, 3.3148136138916016f, 3.6851842403411865f, 4.0f});
  t.Run();
}
TEST(Resize, CubicExcludeOutsideAsymmetric) {
  OpTest t("Resize", 13);
  t.AddAttr("mode", std::string("cubic"));
  t.AddAttr("exclude_outside", int64_t{1});
  t.AddAttr("cubic_coeff_a", -0.5f);
  t.AddAttr("coordinate_transformation_mode", std::string("asymmetric"));
  t.AddInput<float>(
      "X", {1, 1, 4, 4},
      {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f, 7.0f, 8.0f, 9.0f, 10.0f, 11.0f, 12.0f, 13.0f, 14.0f, 15.0f, 16.0f});
  t.AddMissingInput();
  t.AddInput<float>("scales", {4}, {1.0f, 1.0f, 1.75f, 1.25f});
  t.AddOutput<float>("Y", {1, 1, 7, 5},
                     {1.0f,
                      1.771653413772583f,
                      2.6000001430511475f,
                      3.4732825756073f,
                      4.075471878051758f,
                      2.972299098968506f,
                      3.743952512741089f,
                      4.572299480438232f,
                      5.445581436157227f,
                      6.047770977020264f,
                      5.5714263916015625f,
                      6.343079566955566f,
                      7.171426296234131f,
                      8.044709205627441f,
                      8.64689826965332f,
                      7.857144832611084f,
                      8.628798484802246f,
                      9.457144737243652f,
                      10.330427169799805f,
                      10.9326171875f,
                      10.33711051940918f,
                      11.108763694763184f,
                      11.93710994720459f,
                      12.810392379760742f,
                      13.412582397460938f,
                      12.656511306762695f,
                      13.428165435791016f,
                      14.256511688232422f,
                      15.129794120788574f,
                      15.731983184814453f,
                      13.475247383117676f,
                      14.24690055847168f,
                      15.075247764587402f,
                      15.948530197143555f,
                      16.55072021484375f});
  t.Run();
}
TEST(Resize, TfCropAndResizeExtrapolation) {
  OpTest t("Resize", 13);
  t.AddAttr("mode", std::string("linear"));
  t.AddAttr("coordinate_transformation_mode", std::string("tf_crop_and_resize"));
  t.AddAttr("extrapolation_value", 10.0f);
  t.AddInput<float>(
      "X", {1, 1, 4, 4},
      {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f, 7.0f, 8.0f, 9.0f, 10.0f, 11.0f, 12.0f, 13.0f, 14.0f, 15.0f, 16.0f});
  t.AddInput<float>(
      "roi", {8},
      {0.0f, 0.0f, 0.4000000059604645f, 0.6000000238418579f, 1.0f, 1.0f, 1.2000000476837158f, 1.7000000476837158f});
  t.AddMissingInput();
  t.AddInput<int64_t>("sizes", {4}, {1, 1, 3, 3});
  t.AddOutput<float>("Y", {1, 1, 3, 3},
                     {7.600000381469727f, 10.0f, 10.0f, 12.40000057220459f, 10.0f, 10.0f, 10.0f, 10.0f, 10.0f});
  t.Run();
}
TEST(Resize, TfCropAndResizeNearest) {
  OpTest t("Resize", 19);
  t.AddAttr("mode", std::string("nearest"));
  t.AddAttr("axes", std::vector<int64_t>{2, 3});
  t.AddAttr("coordinate_transformation_mode", std::string("tf_crop_and_resize"));
  t.AddAttr("extrapolation_value", -1.0f);
  t.AddInput<float>(
      "X", {1, 1, 4, 4},
      {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f, 7.0f, 8.0f, 9.0f, 10.0f, 11.0f, 12.0f, 13.0f, 14.0f, 15.0f, 16.0f});
  t.AddInput<float>("roi", {4}, {0.20000000298023224f, 0.10000000149011612f, 0.8999999761581421f, 1.2999999523162842f});
  t.AddMissingInput();
  t.AddInput<int64_t>("sizes", {2}, {3, 4});
  t.AddOutput<float>("Y", {1, 1, 3, 4},
                     {5.0f, 6.0f, 8.0f, -1.0f, 9.0f, 10.0f, 12.0f, -1.0f, 13.0f, 14.0f, 16.0f, -1.0f});
  t.Run();
}
TEST(Resize, SizesNotSmaller) {
  OpTest t("Resize", 18);
  t.AddAttr("mode", std::string("linear"));
  t.AddAttr("axes", std::vector<int64_t>{3, 2});
  t.AddAttr("keep_aspect_ratio_policy", std::string("not_smaller"));
  t.AddInput<float>(
      "X", {1, 1, 4, 4},
      {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f, 7.0f, 8.0f, 9.0f, 10.0f, 11.0f, 12.0f, 13.0f, 14.0f, 15.0f, 16.0f});
  t.AddMissingInput();
  t.AddMissingInput();
  t.AddInput<int64_t>("sizes", {2}, {6, 5});
  t.AddOutput<float>("Y", {1, 1, 6, 6},
                     {1.0f,
                      1.5f,
                      2.1666667461395264f,
                      2.8333332538604736f,
                      3.5f,
                      4.0f,
                      3.0f,
                      3.5f,
                      4.166666507720947f,
                      4.833333492279053f,
                      5.5f,
                      6.0f,
                      5.666666507720947f,
                      6.166666507720947f,
                      6.833333492279053f,
                      7.5f,
                      8.166666984558105f,
                      8.666666984558105f,
                      8.333333015441895f,
                      8.833333015441895f,
                      9.5f,
                      10.166666984558105f,
                      10.833333015441895f,
                      11.333333015441895f,
                      11.0f,
                      11.5f,
                      12.166666984558105f,
                      12.833333015441895f,
                      13.5f,
                      14.0f,
                      13.0f,
                      13.5f,
                      14.166666984558105f,
                      14.833333015441895f,
                      15.5f,
                      16.0f});
  t.Run();
}
TEST(Resize, SizesNotLargerNearestCeil) {
  OpTest t("Resize", 18);
  t.AddAttr("mode", std::string("nearest"));
  t.AddAttr("axes", std::vector<int64_t>{2, 3});
  t.AddAttr("keep_aspect_ratio_policy", std::string("not_larger"));
  t.AddAttr("nearest_mode", std::string("ceil"));
  t.AddInput<float>(
      "X", {1, 1, 4, 4},
      {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f, 7.0f, 8.0f, 9.0f, 10.0f, 11.0f, 12.0f, 13.0f, 14.0f, 15.0f, 16.0f});
  t.AddMissingInput();
  t.AddMissingInput();
  t.AddInput<int64_t>("sizes", {2}, {3, 7});
  t.AddOutput<float>("Y", {1, 1, 3, 3}, {6.0f, 7.0f, 8.0f, 10.0f, 11.0f, 12.0f, 14.0f, 15.0f, 16.0f});
  t.Run();
}
TEST(Resize, AntialiasLinear) {
  OpTest t("Resize", 18);
  t.AddAttr("mode", std::string("linear"));
  t.AddAttr("antialias", int64_t{1});
  t.AddInput<float>("X", {1, 1, 6, 6},
                    {0.0f,
                     1.0f,
                     2.8284270763397217f,
                     5.196152687072754f,
                     8.0f,
                     11.180339813232422f,
                     14.696938514709473f,
                     18.5202579498291f,
                     22.627416610717773f,
                     27.0f,
                     31.62277603149414f,
                     36.482872009277344f,
                     41.56922149658203f,
                     46.87216567993164f,
                     52.383201599121094f,
                     58.094749450683594f,
                     64.0f,
                     70.0927963256836f,
                     76.3675308227539f,
                     82.81907653808594f,
                     89.44271850585938f,
                     96.23409271240234f,
                     103.18914794921875f,
                     110.30412292480469f,
                     117.57550811767578f,
                     125.0f,
                     132.5745086669922f,
                     140.29611206054688f,
                     148.1620635986328f,
                     156.16976928710938f,
                     164.31675720214844f,
                     172.6007080078125f,
                     181.0193328857422f,
                     189.57057189941406f,
                     198.2523651123047f,
                     207.0627899169922f});
  t.AddMissingInput();
  t.AddInput<float>("scales", {4}, {1.0f, 1.0f, 0.5f, 0.4000000059604645f});
  t.AddOutput<float>("Y", {1, 1, 3, 2},
                     {13.161359786987305f, 21.060546875f, 65.93927001953125f, 80.39765930175781f, 142.64614868164062f,
                      161.44534301757812f});
  t.Run();
}
TEST(Resize, AntialiasCubicSizes) {
  OpTest t("Resize", 18);
  t.AddAttr("mode", std::string("cubic"));
  t.AddAttr("antialias", int64_t{1});
  t.AddInput<float>("X", {1, 1, 7, 7},
                    {0.0f,
                     0.8414710164070129f,
                     0.9092974066734314f,
                     0.14112000167369843f,
                     -0.756802499294281f,
                     -0.9589242935180664f,
                     -0.279415488243103f,
                     0.6569865942001343f,
                     0.9893582463264465f,
                     0.41211846470832825f,
                     -0.5440210700035095f,
                     -0.9999902248382568f,
                     -0.5365729331970215f,
                     0.42016705870628357f,
                     0.9906073808670044f,
                     0.6502878665924072f,
                     -0.2879033386707306f,
                     -0.9613974690437317f,
                     -0.7509872317314148f,
                     0.14987720549106598f,
                     0.9129452705383301f,
                     0.8366556167602539f,
                     -0.008851309306919575f,
                     -0.8462203741073608f,
                     -0.9055783748626709f,
                     -0.13235175609588623f,
                     0.7625584006309509f,
                     0.9563759565353394f,
                     0.2709057927131653f,
                     -0.6636338829994202f,
                     -0.9880316257476807f,
                     -0.4040376543998718f,
                     0.5514267086982727f,
                     0.9999118447303772f,
                     0.529082715511322f,
                     -0.4281826615333557f,
                     -0.9917788505554199f,
                     -0.6435381174087524f,
                     0.2963685691356659f,
                     0.9637953639030457f,
                     0.7451131939888f,
                     -0.15862266719341278f,
                     -0.9165215492248535f,
                     -0.8317747116088867f,
                     0.017701925709843636f,
                     0.8509035110473633f,
                     0.9017883539199829f,
                     0.12357312440872192f,
                     -0.7682546377182007f});
  t.AddMissingInput();
  t.AddMissingInput();
  t.AddInput<int64_t>("sizes", {4}, {1, 1, 3, 4});
  t.AddOutput<float>("Y", {1, 1, 3, 4},
                     {0.7240491509437561f, 0.4165443480014801f, -0.8532080054283142f, -0.16741624474525452f,
                      0.47902506589889526f, -0.835229754447937f, -0.24268554151058197f, 0.8950374722480774f,
                      -0.7751638293266296f, -0.32742074131965637f, 0.87910395860672f, 0.07191083580255508f});
  t.Run();
}
TEST(Resize, PytorchHalfPixelToOne) {
  OpTest t("Resize", 13);
  t.AddAttr("mode", std::string("linear"));
  t.AddAttr("coordinate_transformation_mode", std::string("pytorch_half_pixel"));
  t.AddInput<float>(
      "X", {1, 1, 4, 4},
      {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f, 7.0f, 8.0f, 9.0f, 10.0f, 11.0f, 12.0f, 13.0f, 14.0f, 15.0f, 16.0f});
  t.AddMissingInput();
  t.AddMissingInput();
  t.AddInput<int64_t>("sizes", {4}, {1, 1, 3, 1});
  t.AddOutput<float>("Y", {1, 1, 3, 1}, {1.6666666269302368f, 7.0f, 12.333333015441895f});
  t.Run();
}
TEST(Resize, HalfPixelSymmetric) {
  OpTest t("Resize", 19);
  t.AddAttr("mode", std::string("linear"));
  t.AddAttr("coordinate_transformation_mode", std::string("half_pixel_symmetric"));
  t.AddInput<float>(
      "X", {1, 1, 4, 4},
      {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f, 7.0f, 8.0f, 9.0f, 10.0f, 11.0f, 12.0f, 13.0f, 14.0f, 15.0f, 16.0f});
  t.AddMissingInput();
  t.AddInput<float>("scales", {4}, {1.0f, 1.0f, 0.699999988079071f, 1.2999999523162842f});
  t.AddOutput<float>(
      "Y", {1, 1, 2, 5},
      {4.142857074737549f, 4.873626232147217f, 5.642857074737549f, 6.412087917327881f, 7.142857074737549f,
       9.857142448425293f, 10.587912559509277f, 11.357142448425293f, 12.126373291015625f, 12.857142448425293f});
  t.Run();
}
TEST(Resize, Uint8Nearest) {
  OpTest t("Resize", 13);
  t.AddAttr("mode", std::string("nearest"));
  t.AddAttr("nearest_mode", std::string("round_prefer_ceil"));
  t.AddInput<uint8_t>("X", {1, 3, 4}, {0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220});
  t.AddMissingInput();
  t.AddInput<float>("scales", {3}, {1.0f, 2.0f, 0.5f});
  t.AddOutput<uint8_t>("Y", {1, 6, 2}, {20, 60, 20, 60, 100, 140, 100, 140, 180, 220, 180, 220});
  t.Run();
}
TEST(Resize, Int32Linear) {
  OpTest t("Resize", 13);
  t.AddAttr("mode", std::string("linear"));
  t.AddInput<int32_t>("X", {1, 4}, {0, 10, 25, 100});
  t.AddMissingInput();
  t.AddInput<float>("scales", {2}, {1.0f, 1.5f});
  t.AddOutput<int32_t>("Y", {1, 6}, {0, 5, 12, 22, 62, 100});
  t.Run();
}
// Scales are float32, so the reference and we agree to about float precision, not double.
TEST(Resize, DoubleCubic3D) {
  OpTest t("Resize", 13);
  t.AddAttr("mode", std::string("cubic"));
  t.AddInput<double>("X", {2, 3, 4},
                     {1.0,
                      0.5403023058681398,
                      -0.4161468365471424,
                      -0.9899924966004454,
                      -0.6536436208636119,
                      0.28366218546322625,
                      0.960170286650366,
                      0.7539022543433046,
                      -0.14550003380861354,
                      -0.9111302618846769,
                      -0.8390715290764524,
                      0.004425697988050785,
                      0.8438539587324921,
                      0.9074467814501962,
                      0.1367372182078336,
                      -0.7596879128588213,
                      -0.9576594803233847,
                      -0.27516333805159693,
                      0.6603167082440802,
                      0.9887046181866692,
                      0.40808206181339196,
                      -0.5477292602242684,
                      -0.9999608263946371,
                      -0.5328330203333975});
  t.AddMissingInput();
  t.AddInput<float>("scales", {3}, {1.0f, 1.7000000476837158f, 0.800000011920929f});
  t.AddOutput<double>(
      "Y", {2, 5, 3},
      {1.1102137395125353,   0.138072311510939,   -1.0136504741881673,  0.37730462255999686, 0.46586661473162455,
       -0.133767214144997,   -0.5350331011704624, 0.6682320175396655,   0.8580739455833268,  -0.49656729512284764,
       -0.26309341978398326, 0.35210821088053235, -0.19924894045865096, -1.1587925059673883, -0.38846855887075965,
       1.0292321385080863,   0.7523267082065083,  -0.6256881813536692,  0.13013534232498963, 0.547029642509443,
       0.14818878963803256,  -0.8812403382719183, 0.1484339397511805,   0.934376760892246,   -0.3547871359645809,
       -0.4765140486055332,  0.10644422489108757, 0.409836877952795,    -0.9236646765423534, -0.8644133543205648});
  t.SetTolerance(1e-6, 1e-6);
  t.Run();
}
TEST(Resize, Float16Linear) {
  OpTest t("Resize", 13);
  t.AddAttr("mode", std::string("linear"));
  t.AddInput<Float16>("X", {1, 1, 2, 2}, H({1.0f, 2.0f, 3.0f, 4.0f}));
  t.AddMissingInput();
  t.AddInput<float>("scales", {4}, {1.0f, 1.0f, 2.0f, 2.0f});
  t.AddOutput<Float16>(
      "Y", {1, 1, 4, 4},
      H({1.0f, 1.25f, 1.75f, 2.0f, 1.5f, 1.75f, 2.25f, 2.5f, 2.5f, 2.75f, 3.25f, 3.5f, 3.0f, 3.25f, 3.75f, 4.0f}));
  t.SetTolerance(0.001, 0.001);
  t.Run();
}
TEST(Resize, ConstantScalesOpset11) {
  OpTest t("Resize", 11);
  t.AddAttr("mode", std::string("nearest"));
  t.AddAttr("coordinate_transformation_mode", std::string("asymmetric"));
  t.AddAttr("nearest_mode", std::string("floor"));
  t.AddInput<float>("X", {1, 1, 2, 2}, {1.0f, 2.0f, 3.0f, 4.0f});
  t.AddConstantInput<float>("roi", {0}, {});
  t.AddConstantInput<float>("scales", {4}, {1.0f, 1.0f, 2.0f, 1.5f});
  t.AddOutput<float>("Y", {1, 1, 4, 3}, {1.0f, 1.0f, 2.0f, 1.0f, 1.0f, 2.0f, 3.0f, 3.0f, 4.0f, 3.0f, 3.0f, 4.0f});
  t.Run();
}

// Resize-10 predates coordinate modes: asymmetric coordinates, nearest truncates when upsampling and rounds
// up when downsampling (hand-computed).
TEST(Resize, Opset10NearestDownsample) {
  OpTest t("Resize", 10);
  t.AddInput<float>("X", {1, 5}, {1, 2, 3, 4, 5});
  t.AddInput<float>("scales", {2}, {1, 0.6f});
  t.AddOutput<float>("Y", {1, 3}, {1, 3, 5});
  t.Run();
}

TEST(Resize, Opset10LinearUpsample) {
  OpTest t("Resize", 10);
  t.AddAttr("mode", std::string("linear"));
  t.AddInput<float>("X", {1, 4}, {1, 2, 3, 4});
  t.AddInput<float>("scales", {2}, {1, 1.5f});
  t.AddOutput<float>("Y", {1, 6}, {1, 1.6666666f, 2.3333333f, 3, 3.6666666f, 4});
  t.Run();
}

TEST(Resize, EmptyRoiAndScalesWithSizes) {
  OpTest t("Resize", 11);
  t.AddInput<float>("X", {1, 2}, {1, 2});
  t.AddInput<float>("roi", {0}, {});
  t.AddInput<float>("scales", {0}, {});
  t.AddInput<int64_t>("sizes", {2}, {2, 4});
  t.AddOutput<float>("Y", {2, 4}, {1, 1, 2, 2, 1, 1, 2, 2});
  t.Run();
}

TEST(Resize, RejectsScalesAndSizesTogether) {
  OpTest t("Resize", 13);
  t.AddInput<float>("X", {1, 2}, {1, 2});
  t.AddMissingInput();
  t.AddInput<float>("scales", {2}, {1, 2});
  t.AddInput<int64_t>("sizes", {2}, {1, 4});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("only one of scales and sizes");
}

TEST(Resize, RejectsWrongScalesLength) {
  OpTest t("Resize", 13);
  t.AddInput<float>("X", {1, 2}, {1, 2});
  t.AddMissingInput();
  t.AddInput<float>("scales", {3}, {1, 2, 2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("scales has 3 values");
}

TEST(Resize, RejectsNonPositiveScale) {
  OpTest t("Resize", 13);
  t.AddInput<float>("X", {1, 2}, {1, 2});
  t.AddMissingInput();
  t.AddInput<float>("scales", {2}, {1, -2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("scale");
}

TEST(Resize, RejectsUnknownMode) {
  OpTest t("Resize", 13);
  t.AddAttr("mode", std::string("area"));
  t.AddInput<float>("X", {1, 2}, {1, 2});
  t.AddMissingInput();
  t.AddInput<float>("scales", {2}, {1, 2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("mode");
}

TEST(Resize, RejectsRepeatedAxis) {
  OpTest t("Resize", 18);
  t.AddAttr("axes", std::vector<int64_t>{1, -1});
  t.AddInput<float>("X", {1, 2}, {1, 2});
  t.AddMissingInput();
  t.AddInput<float>("scales", {2}, {2, 2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("repeated");
}

}  // namespace onyx::test
