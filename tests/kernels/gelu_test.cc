#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Gelu, Float) {
  OpTest t("Gelu", 20);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7},
                     {-0.0155241629f, -0.158655256f, -0.154268771f, 0, 0.18537344f, 0.841344774f, 2.48447585f});
  t.Run();
}

TEST(Gelu, Double) {
  OpTest u("Gelu", 20);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7},
                      {-0.015524163314440398, -0.15865525393145707, -0.15426876936299344, 0, 0.18537343538671311,
                       0.84134474606854293, 2.4844758366855597});
  u.Run();
}

TEST(Gelu, Tanh) {
  OpTest t("Gelu", 20);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddAttr("approximate", std::string("tanh"));
  t.AddOutput<float>("Y", {7},
                     {-0.0150842657f, -0.158808008f, -0.154285997f, 0, 0.185370937f, 0.841192007f, 2.48491573f});
  t.Run();
}

TEST(Gelu, BadApproximateIsAnError) {
  OpTest t("Gelu", 20);
  t.AddInput<float>("X", {1}, {1});
  t.AddAttr("approximate", std::string("fast"));
  t.AddOutputUnchecked("Y");
  t.RunExpectError("approximate");
}

}  // namespace onyx::test
