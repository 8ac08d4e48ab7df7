#include "kernels/op_test.h"

namespace onyx::test {

TEST(Adam, OneTensor) {
  OpTest t("Adam", 1, "ai.onnx.preview.training");
  t.AddAttr("alpha", 0.9f);
  t.AddAttr("beta", 0.99f);
  t.AddAttr("epsilon", 1e-3f);
  t.AddAttr("norm_coefficient", 0.01f);
  t.AddAttr("norm_coefficient_post", 0.02f);
  t.AddInput<float>("R", {}, {0.1f});
  t.AddInput<int64_t>("T", {}, {1});
  t.AddInput<float>("X", {2}, {1.0f, -2.0f});
  t.AddInput<float>("G", {2}, {0.5f, 0.25f});
  t.AddInput<float>("V", {2}, {0.1f, 0.2f});
  t.AddInput<float>("H", {2}, {0.3f, 0.4f});
  t.AddOutput<float>("X_new", {2}, {0.95480118f, -1.99154247f});
  t.AddOutput<float>("V_new", {2}, {0.141f, 0.203f});
  t.AddOutput<float>("H_new", {2}, {0.29960102f, 0.396529f});
  t.Run();
}

TEST(Adam, WrongInputCount) {
  OpTest t("Adam", 1, "ai.onnx.preview.training");
  t.AddInput<float>("R", {}, {0.1f});
  t.AddInput<int64_t>("T", {}, {1});
  t.AddInput<float>("X", {2}, {1.0f, -2.0f});
  t.AddInput<float>("G", {2}, {0.5f, 0.25f});
  t.AddInput<float>("V", {2}, {0.1f, 0.2f});
  t.AddOutputUnchecked("X_new");
  t.RunExpectError("inputs");
}

}  // namespace onyx::test
