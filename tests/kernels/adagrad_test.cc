#include "kernels/op_test.h"

namespace onyx::test {

TEST(Adagrad, OneTensor) {
  OpTest t("Adagrad", 1, "ai.onnx.preview.training");
  t.AddAttr("decay_factor", 0.1f);
  t.AddAttr("epsilon", 1e-5f);
  t.AddAttr("norm_coefficient", 0.01f);
  t.AddInput<float>("R", {}, {0.1f});
  t.AddInput<int64_t>("T", {}, {1});
  t.AddInput<float>("X", {2}, {1.0f, -2.0f});
  t.AddInput<float>("G", {2}, {0.5f, 0.25f});
  t.AddInput<float>("H", {2}, {0.1f, 0.2f});
  t.AddOutput<float>("X_new", {2}, {0.92273927f, -2.0415769f});
  t.AddOutput<float>("H_new", {2}, {0.36009997f, 0.2529f});
  t.Run();
}

TEST(Adagrad, Errors) {
  OpTest t("Adagrad", 1, "ai.onnx.preview.training");
  t.AddInput<float>("R", {}, {0.1f});
  t.AddInput<int64_t>("T", {}, {1});
  t.AddInput<float>("X", {2}, {1.0f, -2.0f});
  t.AddInput<float>("G", {3}, {0.5f, 0.25f, 1});
  t.AddInput<float>("H", {2}, {0.1f, 0.2f});
  t.AddOutputUnchecked("X_new");
  t.AddOutputUnchecked("H_new");
  t.RunExpectError("must match");
}

}  // namespace onyx::test
