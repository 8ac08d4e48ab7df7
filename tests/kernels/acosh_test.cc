#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Acosh, Float) {
  OpTest t("Acosh", 9);
  t.AddInput<float>("X", {4}, {1, 1.5f, 3, 10});
  t.AddOutput<float>("Y", {4}, {0, 0.962423623f, 1.76274717f, 2.99322295f});
  t.Run();
}

TEST(Acosh, Double) {
  OpTest u("Acosh", 9);
  u.AddInput<double>("X", {4}, {1, 1.5, 3, 10});
  u.AddOutput<double>("Y", {4}, {0, 0.96242365011920694, 1.7627471740390861, 2.9932228461263808});
  u.Run();
}

}  // namespace onyx::test
