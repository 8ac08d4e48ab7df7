// Generated expected values come from the ONNX reference evaluator (onnx.reference).
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

TEST(MlNormalizer, Max) {
  OpTest t("Normalizer", 1, "ai.onnx.ml");
  t.AddAttr("norm", std::string("MAX"));
  t.AddInput<float>("X", {3, 3}, {1.0f, -2.0f, 3.0f, 0.0f, 0.0f, 0.0f, 4.0f, 0.5f, 2.0f});
  t.AddOutput<float>("Y", {3, 3}, {0.33333334f, -0.6666667f, 1.0f, 0.0f, 0.0f, 0.0f, 1.0f, 0.125f, 0.5f});
  t.Run();
}

TEST(MlNormalizer, L1) {
  OpTest t("Normalizer", 1, "ai.onnx.ml");
  t.AddAttr("norm", std::string("L1"));
  t.AddInput<float>("X", {3, 3}, {1.0f, -2.0f, 3.0f, 0.0f, 0.0f, 0.0f, 4.0f, 0.5f, 2.0f});
  t.AddOutput<float>("Y", {3, 3},
                     {0.16666667f, -0.33333334f, 0.5f, 0.0f, 0.0f, 0.0f, 0.61538464f, 0.07692308f, 0.30769232f});
  t.Run();
}

TEST(MlNormalizer, L2) {
  OpTest t("Normalizer", 1, "ai.onnx.ml");
  t.AddAttr("norm", std::string("L2"));
  t.AddInput<float>("X", {3, 3}, {1.0f, -2.0f, 3.0f, 0.0f, 0.0f, 0.0f, 4.0f, 0.5f, 2.0f});
  t.AddOutput<float>("Y", {3, 3},
                     {0.26726124f, -0.5345225f, 0.8017837f, 0.0f, 0.0f, 0.0f, 0.8888889f, 0.11111111f, 0.44444445f});
  t.Run();
}

TEST(MlNormalizer, Int64L1) {
  OpTest t("Normalizer", 1, "ai.onnx.ml");
  t.AddAttr("norm", std::string("L1"));
  t.AddInput<int64_t>("X", {1, 3}, {1, 2, 5});
  t.AddOutput<float>("Y", {1, 3}, {0.125f, 0.25f, 0.625f});
  t.Run();
}

TEST(MlNormalizer, DoubleL2OneD) {
  OpTest t("Normalizer", 1, "ai.onnx.ml");
  t.AddAttr("norm", std::string("L2"));
  t.AddInput<double>("X", {2}, {3.0, 4.0});
  t.AddOutput<float>("Y", {2}, {0.6f, 0.8f});
  t.Run();
}

TEST(MlNormalizer, UnknownNorm) {
  OpTest t("Normalizer", 1, "ai.onnx.ml");
  t.AddAttr("norm", std::string("L3"));
  t.AddInput<float>("X", {1, 2}, {1, 2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("norm");
}

}  // namespace
}  // namespace onyx::test
