// Expected values computed with onnx.reference.ReferenceEvaluator (onnx 1.22) unless noted.
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
TEST(BlackmanWindow, Periodic) {
  OpTest t("BlackmanWindow", 17);
  t.AddInput<int64_t>("size", {}, {10});
  t.AddOutput<float>("Y", {10},
                     {0.0f, 0.04021286219358444f, 0.20077013969421387f, 0.5097871422767639f, 0.8492298722267151f, 1.0f,
                      0.8492298722267151f, 0.5097871422767639f, 0.20077013969421387f, 0.04021286219358444f});
  t.Run();
}
TEST(BlackmanWindow, SymmetricDouble) {
  OpTest t("BlackmanWindow", 17);
  t.AddAttr("periodic", int64_t{0});
  t.AddAttr("output_datatype", int64_t{11});
  t.AddInput<int32_t>("size", {}, {7});
  t.AddOutput<double>(
      "Y", {7}, {0.0, 0.12999999999999995, 0.6299999999999999, 1.0, 0.6300000000000003, 0.12999999999999995, 0.0});
  t.SetTolerance(1e-09, 1e-09);
  t.Run();
}

TEST(BlackmanWindow, RejectsNegativeSize) {
  OpTest t("BlackmanWindow", 17);
  t.AddInput<int64_t>("size", {}, {-1});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("size");
}

}  // namespace onyx::test
