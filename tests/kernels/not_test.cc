#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Not, Basic) {
  OpTest t("Not", 1);
  t.AddInput<bool>("X", {2, 2}, {true, false, false, true});
  t.AddOutput<bool>("Y", {2, 2}, {false, true, true, false});
  t.Run();
}

}  // namespace onyx::test
