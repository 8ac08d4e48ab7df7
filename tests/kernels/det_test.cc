#include "kernels/op_test.h"

namespace onyx::test {

TEST(Det, Matrix2x2IsScalar) {
  OpTest t("Det", 11);
  t.AddInput<float>("X", {2, 2}, {1, 2, 3, 4});
  t.AddOutput<float>("Y", {}, {-2});
  t.Run();
}

TEST(Det, Matrix3x3) {
  OpTest t("Det", 22);
  t.AddInput<float>("X", {3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 10});
  t.AddOutput<float>("Y", {}, {-3});
  t.Run();
}

TEST(Det, NeedsPivoting) {
  OpTest t("Det", 22);
  t.AddInput<float>("X", {3, 3}, {0, 1, 0, 1, 0, 0, 0, 0, 2});
  t.AddOutput<float>("Y", {}, {-2});
  t.Run();
}

TEST(Det, Singular) {
  OpTest t("Det", 22);
  t.AddInput<double>("X", {3, 3}, {1, 2, 3, 2, 4, 6, 1, 0, 1});
  t.AddOutput<double>("Y", {}, {0});
  t.Run();
}

TEST(Det, BatchedDouble) {
  OpTest t("Det", 22);
  t.AddInput<double>(
      "X", {2, 2, 3, 3},
      {1.764052391052246,   0.40015721321105957, 0.978738009929657,    2.2408931255340576,   1.8675580024719238,
       -0.9772778749465942, 0.9500884413719177,  -0.15135720372200012, -0.10321885347366333, 0.4105985164642334,
       0.14404356479644775, 1.4542734622955322,  0.7610377073287964,   0.12167501449584961,  0.44386324286460876,
       0.3336743414402008,  1.4940791130065918,  -0.2051582634449005,  0.3130677044391632,   -0.8540957570075989,
       -2.5529897212982178, 0.653618574142456,   0.8644362092018127,   -0.7421650290489197,  2.269754648208618,
       -1.4543657302856445, 0.04575851559638977, -0.18718385696411133, 1.5327792167663574,   1.4693588018417358,
       0.154947429895401,   0.37816253304481506, -0.8877857327461243,  -1.980796456336975,   -0.34791216254234314,
       0.15634897351264954});
  t.AddOutput<double>("Y", {2, 2}, {-2.948558242709893, 1.355817981029009, 8.574749039715064, 3.726474775685555});
  t.Run();
}

TEST(Det, EmptyMatrixIsOne) {
  OpTest t("Det", 22);
  t.AddInput<float>("X", {2, 0, 0}, {});
  t.AddOutput<float>("Y", {2}, {1, 1});
  t.Run();
}

TEST(Det, Float16) {
  OpTest t("Det", 22);
  t.AddInput<Float16>(
      "X", {2, 2},
      {Float16{FloatToHalf(2.0f)}, Float16{FloatToHalf(1.0f)}, Float16{FloatToHalf(1.0f)}, Float16{FloatToHalf(3.0f)}});
  t.AddOutput<Float16>("Y", {}, {Float16{FloatToHalf(5.0f)}});
  t.Run();
}

TEST(Det, NonSquareIsAnError) {
  OpTest t("Det", 22);
  t.AddInput<float>("X", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("square");
}

TEST(Det, Rank1IsAnError) {
  OpTest t("Det", 22);
  t.AddInput<float>("X", {3}, {1, 2, 3});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("rank");
}

}  // namespace onyx::test
