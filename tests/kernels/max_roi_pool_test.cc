// Expected values computed with onnxruntime (the spec reference has no MaxRoiPool).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
TEST(MaxRoiPool, Basic) {
  OpTest t("MaxRoiPool", 12);
  t.AddAttr("pooled_shape", std::vector<int64_t>{2, 3});
  t.AddAttr("spatial_scale", 1.0f);
  t.AddInput<float>(
      "X", {2, 2, 6, 5},
      {0.0f, 7.0f,  3.0f,  10.0f, 6.0f, 2.0f,  9.0f,  5.0f, 1.0f,  8.0f,  4.0f,  0.0f, 7.0f,  3.0f,  10.0f,
       6.0f, 2.0f,  9.0f,  5.0f,  1.0f, 8.0f,  4.0f,  0.0f, 7.0f,  3.0f,  10.0f, 6.0f, 2.0f,  9.0f,  5.0f,
       1.0f, 8.0f,  4.0f,  0.0f,  7.0f, 3.0f,  10.0f, 6.0f, 2.0f,  9.0f,  5.0f,  1.0f, 8.0f,  4.0f,  0.0f,
       7.0f, 3.0f,  10.0f, 6.0f,  2.0f, 9.0f,  5.0f,  1.0f, 8.0f,  4.0f,  0.0f,  7.0f, 3.0f,  10.0f, 6.0f,
       2.0f, 9.0f,  5.0f,  1.0f,  8.0f, 4.0f,  0.0f,  7.0f, 3.0f,  10.0f, 6.0f,  2.0f, 9.0f,  5.0f,  1.0f,
       8.0f, 4.0f,  0.0f,  7.0f,  3.0f, 10.0f, 6.0f,  2.0f, 9.0f,  5.0f,  1.0f,  8.0f, 4.0f,  0.0f,  7.0f,
       3.0f, 10.0f, 6.0f,  2.0f,  9.0f, 5.0f,  1.0f,  8.0f, 4.0f,  0.0f,  7.0f,  3.0f, 10.0f, 6.0f,  2.0f,
       9.0f, 5.0f,  1.0f,  8.0f,  4.0f, 0.0f,  7.0f,  3.0f, 10.0f, 6.0f,  2.0f,  9.0f, 5.0f,  1.0f,  8.0f});
  t.AddInput<float>("rois", {3, 5},
                    {0.0f, 0.0f, 0.0f, 3.0f, 4.0f, 1.0f, 1.399999976158142f, 0.6000000238418579f, 4.199999809265137f,
                     5.099999904632568f, 0.0f, 2.0f, 2.0f, 2.0f, 2.0f});
  t.AddOutput<float>("Y", {3, 2, 2, 3}, {9.0f, 9.0f, 10.0f, 8.0f, 9.0f, 9.0f, 10.0f, 10.0f, 8.0f, 9.0f, 10.0f, 10.0f,
                                         9.0f, 9.0f, 10.0f, 8.0f, 9.0f, 9.0f, 10.0f, 10.0f, 8.0f, 9.0f, 10.0f, 10.0f,
                                         7.0f, 7.0f, 7.0f,  7.0f, 7.0f, 7.0f, 8.0f,  8.0f,  8.0f, 8.0f, 8.0f,  8.0f});
  t.Run();
}
TEST(MaxRoiPool, SpatialScale) {
  OpTest t("MaxRoiPool", 22);
  t.AddAttr("pooled_shape", std::vector<int64_t>{3, 2});
  t.AddAttr("spatial_scale", 0.5f);
  t.AddInput<float>(
      "X", {2, 2, 6, 5},
      {0.0f, 7.0f,  3.0f,  10.0f, 6.0f, 2.0f,  9.0f,  5.0f, 1.0f,  8.0f,  4.0f,  0.0f, 7.0f,  3.0f,  10.0f,
       6.0f, 2.0f,  9.0f,  5.0f,  1.0f, 8.0f,  4.0f,  0.0f, 7.0f,  3.0f,  10.0f, 6.0f, 2.0f,  9.0f,  5.0f,
       1.0f, 8.0f,  4.0f,  0.0f,  7.0f, 3.0f,  10.0f, 6.0f, 2.0f,  9.0f,  5.0f,  1.0f, 8.0f,  4.0f,  0.0f,
       7.0f, 3.0f,  10.0f, 6.0f,  2.0f, 9.0f,  5.0f,  1.0f, 8.0f,  4.0f,  0.0f,  7.0f, 3.0f,  10.0f, 6.0f,
       2.0f, 9.0f,  5.0f,  1.0f,  8.0f, 4.0f,  0.0f,  7.0f, 3.0f,  10.0f, 6.0f,  2.0f, 9.0f,  5.0f,  1.0f,
       8.0f, 4.0f,  0.0f,  7.0f,  3.0f, 10.0f, 6.0f,  2.0f, 9.0f,  5.0f,  1.0f,  8.0f, 4.0f,  0.0f,  7.0f,
       3.0f, 10.0f, 6.0f,  2.0f,  9.0f, 5.0f,  1.0f,  8.0f, 4.0f,  0.0f,  7.0f,  3.0f, 10.0f, 6.0f,  2.0f,
       9.0f, 5.0f,  1.0f,  8.0f,  4.0f, 0.0f,  7.0f,  3.0f, 10.0f, 6.0f,  2.0f,  9.0f, 5.0f,  1.0f,  8.0f});
  t.AddInput<float>("rois", {3, 5},
                    {0.0f, 0.0f, 0.0f, 3.0f, 4.0f, 1.0f, 1.399999976158142f, 0.6000000238418579f, 4.199999809265137f,
                     5.099999904632568f, 0.0f, 2.0f, 2.0f, 2.0f, 2.0f});
  t.AddOutput<float>("Y", {3, 2, 3, 2}, {7.0f, 7.0f, 9.0f, 9.0f, 4.0f, 7.0f, 8.0f,  8.0f,  10.0f, 10.0f, 5.0f,  8.0f,
                                         9.0f, 7.0f, 2.0f, 9.0f, 4.0f, 9.0f, 10.0f, 8.0f,  3.0f,  10.0f, 5.0f,  10.0f,
                                         9.0f, 9.0f, 9.0f, 9.0f, 9.0f, 9.0f, 10.0f, 10.0f, 10.0f, 10.0f, 10.0f, 10.0f});
  t.Run();
}

TEST(MaxRoiPool, RejectsBatchIndexOutOfRange) {
  OpTest t("MaxRoiPool", 22);
  t.AddAttr("pooled_shape", std::vector<int64_t>{1, 1});
  t.AddInput<float>("X", {1, 1, 2, 2}, {1, 2, 3, 4});
  t.AddInput<float>("rois", {1, 5}, {3, 0, 0, 1, 1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("batch index");
}

}  // namespace onyx::test
