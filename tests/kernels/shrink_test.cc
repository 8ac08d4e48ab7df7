#include "kernels/op_test.h"

namespace onyx::test {

TEST(Shrink, DefaultsAreHardShrink) {
  OpTest t("Shrink", 9);
  t.AddInput<float>("input", {5}, {-2, -0.5f, 0, 0.4f, 1});
  t.AddOutput<float>("output", {5}, {-2, 0, 0, 0, 1});
  t.Run();
}

TEST(Shrink, SoftShrink) {
  OpTest t("Shrink", 9);
  t.AddAttr("lambd", 1.0f);
  t.AddAttr("bias", 1.0f);
  t.AddInput<float>("input", {7}, {-3, -1.5f, -0.5f, 0, 0.5f, 1.5f, 3});
  t.AddOutput<float>("output", {7}, {-2, -0.5f, 0, 0, 0, 0.5f, 2});
  t.Run();
}

TEST(Shrink, Double2D) {
  OpTest t("Shrink", 9);
  t.AddAttr("lambd", 0.25f);
  t.AddAttr("bias", 0.5f);
  t.AddInput<double>("input", {2, 2}, {-1, 0.2, 0.3, 2});
  t.AddOutput<double>("output", {2, 2}, {-0.5, 0, -0.2, 1.5});
  t.Run();
}

TEST(Shrink, Int32) {
  OpTest t("Shrink", 9);
  t.AddAttr("lambd", 1.5f);
  t.AddAttr("bias", 1.0f);
  t.AddInput<int32_t>("input", {7}, {-5, -2, -1, 0, 1, 2, 5});
  t.AddOutput<int32_t>("output", {7}, {-4, -1, 0, 0, 0, 1, 4});
  t.Run();
}

TEST(Shrink, Int8AndUint8) {
  {
    OpTest t("Shrink", 9);
    t.AddAttr("lambd", 2.0f);
    t.AddAttr("bias", 2.0f);
    t.AddInput<int8_t>("input", {4}, {-100, -2, 3, 100});
    t.AddOutput<int8_t>("output", {4}, {-98, 0, 1, 98});
    t.Run();
  }
  {
    OpTest t("Shrink", 9);
    t.AddAttr("lambd", 2.0f);
    t.AddAttr("bias", 2.0f);
    t.AddInput<uint8_t>("input", {4}, {0, 2, 3, 200});
    t.AddOutput<uint8_t>("output", {4}, {0, 0, 1, 198});
    t.Run();
  }
}

TEST(Shrink, Float16) {
  OpTest t("Shrink", 9);
  t.AddInput<Float16>("input", {3},
                      {Float16{FloatToHalf(-1.0f)}, Float16{FloatToHalf(0.25f)}, Float16{FloatToHalf(2.0f)}});
  t.AddOutput<Float16>("output", {3},
                       {Float16{FloatToHalf(-1.0f)}, Float16{FloatToHalf(0.0f)}, Float16{FloatToHalf(2.0f)}});
  t.Run();
}

TEST(Shrink, Empty) {
  OpTest t("Shrink", 9);
  t.AddInput<float>("input", {0}, {});
  t.AddOutput<float>("output", {0}, {});
  t.Run();
}

}  // namespace onyx::test
