// Expected values computed with onnx.reference.ReferenceEvaluator (onnx 1.22) unless noted.
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
TEST(CenterCropPad, CropAndPad) {
  OpTest t("CenterCropPad", 18);
  t.AddInput<float>("input_data", {5, 7},
                    {0.0f,  1.0f,  2.0f,  3.0f,  4.0f,  5.0f,  6.0f,  7.0f,  8.0f,  9.0f,  10.0f, 11.0f,
                     12.0f, 13.0f, 14.0f, 15.0f, 16.0f, 17.0f, 18.0f, 19.0f, 20.0f, 21.0f, 22.0f, 23.0f,
                     24.0f, 25.0f, 26.0f, 27.0f, 28.0f, 29.0f, 30.0f, 31.0f, 32.0f, 33.0f, 34.0f});
  t.AddInput<int64_t>("shape", {2}, {2, 10});
  t.AddOutput<float>("output_data", {2, 10}, {0.0f, 7.0f,  8.0f,  9.0f,  10.0f, 11.0f, 12.0f, 13.0f, 0.0f, 0.0f,
                                              0.0f, 14.0f, 15.0f, 16.0f, 17.0f, 18.0f, 19.0f, 20.0f, 0.0f, 0.0f});
  t.Run();
}
TEST(CenterCropPad, AxesNegativeInt32Shape) {
  OpTest t("CenterCropPad", 18);
  t.AddAttr("axes", std::vector<int64_t>{-1, 1});
  t.AddInput<int64_t>("input_data", {2, 3, 4},
                      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23});
  t.AddInput<int32_t>("shape", {2}, {5, 1});
  t.AddOutput<int64_t>("output_data", {2, 1, 5}, {4, 5, 6, 7, 0, 16, 17, 18, 19, 0});
  t.Run();
}

TEST(CenterCropPad, Strings) {
  OpTest t("CenterCropPad", 18);
  t.AddInput<std::string>("input_data", {3}, {"a", "b", "c"});
  t.AddInput<int64_t>("shape", {1}, {4});
  t.AddOutput<std::string>("output_data", {4}, {"a", "b", "c", ""});
  t.Run();
}

TEST(CenterCropPad, RejectsShapeLength) {
  OpTest t("CenterCropPad", 18);
  t.AddInput<float>("input_data", {2, 2}, {1, 2, 3, 4});
  t.AddInput<int64_t>("shape", {1}, {1});
  t.AddOutputUnchecked("output_data");
  t.RunExpectError("axes");
}

}  // namespace onyx::test
