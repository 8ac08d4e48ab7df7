// Expected values computed with onnx.reference.ReferenceEvaluator (onnx 1.22) unless noted.
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
TEST(HannWindow, Periodic) {
  OpTest t("HannWindow", 17);
  t.AddInput<int64_t>("size", {}, {10});
  t.AddOutput<float>("Y", {10},
                     {0.0f, 0.09549150615930557f, 0.34549152851104736f, 0.6545084714889526f, 0.9045085310935974f, 1.0f,
                      0.9045084714889526f, 0.6545083522796631f, 0.3454914391040802f, 0.09549149870872498f});
  t.Run();
}
TEST(HannWindow, SymmetricDouble) {
  OpTest t("HannWindow", 17);
  t.AddAttr("periodic", int64_t{0});
  t.AddAttr("output_datatype", int64_t{11});
  t.AddInput<int32_t>("size", {}, {7});
  t.AddOutput<double>("Y", {7},
                      {0.0, 0.24999999999999994, 0.7499999999999999, 1.0, 0.7500000000000001, 0.24999999999999994,
                       1.4997597826618576e-32});
  t.SetTolerance(1e-09, 1e-09);
  t.Run();
}

TEST(HannWindow, RejectsNegativeSize) {
  OpTest t("HannWindow", 17);
  t.AddInput<int64_t>("size", {}, {-1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("size");
}

}  // namespace onyx::test
