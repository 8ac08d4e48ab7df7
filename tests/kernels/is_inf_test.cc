#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(IsInf, Basic) {
  OpTest t("IsInf", 10);
  t.AddInput<float>("X", {4}, {1, NAN, INFINITY, -INFINITY});
  t.AddOutput<bool>("Y", {4}, {false, false, true, true});
  t.Run();
}

TEST(IsInf, SignSelection) {
  OpTest t("IsInf", 10);
  t.AddInput<double>("X", {3}, {1, INFINITY, -INFINITY});
  t.AddAttr("detect_negative", int64_t{0});
  t.AddOutput<bool>("Y", {3}, {false, true, false});
  t.Run();

  OpTest u("IsInf", 10);
  u.AddInput<double>("X", {3}, {1, INFINITY, -INFINITY});
  u.AddAttr("detect_positive", int64_t{0});
  u.AddOutput<bool>("Y", {3}, {false, false, true});
  u.Run();
}

}  // namespace onyx::test
