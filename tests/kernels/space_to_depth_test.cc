#include "kernels/op_test.h"

namespace onyx::test {

TEST(SpaceToDepth, Basic) {
  OpTest t("SpaceToDepth", 13);
  t.AddAttr("blocksize", int64_t{2});
  t.AddInput<float>("input", {1, 1, 2, 4}, {0, 2, 1, 3, 4, 6, 5, 7});
  t.AddOutput<float>("output", {1, 4, 1, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  t.Run();
}

TEST(SpaceToDepth, BadHeightIsAnError) {
  OpTest t("SpaceToDepth", 13);
  t.AddAttr("blocksize", int64_t{2});
  t.AddInput<float>("input", {1, 1, 3, 2}, {0, 1, 2, 3, 4, 5});
  t.AddOutputUnchecked("output");
  t.RunExpectError("multiples");
}

}  // namespace onyx::test
