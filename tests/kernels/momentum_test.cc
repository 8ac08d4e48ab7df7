#include "kernels/op_test.h"

namespace onyx::test {

TEST(Momentum, Standard) {
  OpTest t("Momentum", 1, "ai.onnx.preview.training");
  t.AddAttr("alpha", 0.9f);
  t.AddAttr("beta", 0.5f);
  t.AddAttr("norm_coefficient", 0.01f);
  t.AddAttr("mode", std::string("standard"));
  t.AddInput<float>("R", {}, {0.1f});
  t.AddInput<int64_t>("T", {}, {1});
  t.AddInput<float>("X", {2}, {1.0f, -2.0f});
  t.AddInput<float>("G", {2}, {0.5f, 0.25f});
  t.AddInput<float>("V", {2}, {0.1f, 0.2f});
  t.AddOutput<float>("X_new", {2}, {0.9655f, -2.0295f});
  t.AddOutput<float>("V_new", {2}, {0.345f, 0.295f});
  t.Run();
}

TEST(Momentum, NesterovFirstStepUsesBetaOne) {
  OpTest t("Momentum", 1, "ai.onnx.preview.training");
  t.AddAttr("alpha", 0.9f);
  t.AddAttr("beta", 0.5f);
  t.AddAttr("norm_coefficient", 0.01f);
  t.AddAttr("mode", std::string("nesterov"));
  t.AddInput<float>("R", {}, {0.1f});
  t.AddInput<int64_t>("T", {}, {0});
  t.AddInput<float>("X", {2}, {1.0f, -2.0f});
  t.AddInput<float>("G", {2}, {0.5f, 0.25f});
  t.AddInput<float>("V", {2}, {0.1f, 0.2f});
  t.AddOutput<float>("X_new", {2}, {0.895f, -2.0599f});
  t.AddOutput<float>("V_new", {2}, {0.6f, 0.41f});
  t.Run();
}

TEST(Momentum, BadMode) {
  OpTest t("Momentum", 1, "ai.onnx.preview.training");
  t.AddAttr("alpha", 0.9f);
  t.AddAttr("beta", 0.5f);
  t.AddAttr("norm_coefficient", 0.01f);
  t.AddAttr("mode", std::string("heavy"));
  t.AddInput<float>("R", {}, {0.1f});
  t.AddInput<int64_t>("T", {}, {0});
  t.AddInput<float>("X", {1}, {1.0f});
  t.AddInput<float>("G", {1}, {0.5f});
  t.AddInput<float>("V", {1}, {0.1f});
  t.AddOutputUnchecked("X_new");
  t.AddOutputUnchecked("V_new");
  t.RunExpectError("mode");
}

}  // namespace onyx::test
