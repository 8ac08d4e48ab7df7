#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Xor, Basic) {
  OpTest t("Xor", 7);
  t.AddInput<bool>("A", {4}, {true, true, false, false});
  t.AddInput<bool>("B", {4}, {true, false, true, false});
  t.AddOutput<bool>("C", {4}, {false, true, true, false});
  t.Run();
}

TEST(Xor, Broadcast) {
  OpTest t("Xor", 7);
  t.AddInput<bool>("A", {2, 2}, {true, true, false, false});
  t.AddInput<bool>("B", {2}, {true, false});
  t.AddOutput<bool>("C", {2, 2}, {false, true, true, false});
  t.Run();
}

TEST(Xor, NonBoolIsRejected) {
  OpTest t("Xor", 7);
  t.AddInput<float>("A", {1}, {1});
  t.AddInput<float>("B", {1}, {1});
  t.AddOutputUnchecked("C");
  t.RunExpectError("Xor");
}

}  // namespace onyx::test
