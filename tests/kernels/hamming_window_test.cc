// Expected values computed with onnx.reference.ReferenceEvaluator (onnx 1.22) unless noted.
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
TEST(HammingWindow, Periodic) {
  OpTest t("HammingWindow", 17);
  t.AddInput<int64_t>("size", {}, {10});
  t.AddOutput<float>(
      "Y", {10},
      {0.08695652335882187f, 0.1741444170475006f, 0.4024052917957306f, 0.6845512390136719f, 0.9128121137619019f, 1.0f,
       0.9128121137619019f, 0.6845511198043823f, 0.4024052321910858f, 0.1741444170475006f});
  t.Run();
}
TEST(HammingWindow, SymmetricDouble) {
  OpTest t("HammingWindow", 17);
  t.AddAttr("periodic", int64_t{0});
  t.AddAttr("output_datatype", int64_t{11});
  t.AddInput<int32_t>("size", {}, {7});
  t.AddOutput<double>("Y", {7},
                      {0.08695652173913038, 0.3152173913043477, 0.7717391304347825, 1.0, 0.7717391304347828,
                       0.3152173913043477, 0.08695652173913038});
  t.SetTolerance(1e-09, 1e-09);
  t.Run();
}

TEST(HammingWindow, RejectsNegativeSize) {
  OpTest t("HammingWindow", 17);
  t.AddInput<int64_t>("size", {}, {-1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("size");
}

}  // namespace onyx::test
