#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(And, Basic) {
  OpTest t("And", 7);
  t.AddInput<bool>("A", {4}, {true, true, false, false});
  t.AddInput<bool>("B", {4}, {true, false, true, false});
  t.AddOutput<bool>("C", {4}, {true, false, false, false});
  t.Run();
}

TEST(And, Broadcast) {
  OpTest t("And", 7);
  t.AddInput<bool>("A", {2, 2}, {true, true, false, false});
  t.AddInput<bool>("B", {2}, {true, false});
  t.AddOutput<bool>("C", {2, 2}, {true, false, false, false});
  t.Run();
}

TEST(And, NonBoolIsRejected) {
  OpTest t("And", 7);
  t.AddInput<float>("A", {1}, {1});
  t.AddInput<float>("B", {1}, {1});
  t.AddOutputUnchecked("C");
  t.RunExpectError("And");
}

}  // namespace onyx::test
