#include "kernels/op_test.h"

namespace onyx::test {

// Values from the ONNX reference implementation.
TEST(DepthToSpace, DCR) {
  OpTest t("DepthToSpace", 13);
  t.AddAttr("blocksize", int64_t{2});
  t.AddInput<float>("input", {1, 4, 1, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  t.AddOutput<float>("output", {1, 1, 2, 4}, {0, 2, 1, 3, 4, 6, 5, 7});
  t.Run();
}

TEST(DepthToSpace, CRD) {
  OpTest t("DepthToSpace", 13);
  t.AddAttr("blocksize", int64_t{2});
  t.AddAttr("mode", std::string("CRD"));
  t.AddInput<int32_t>("input", {1, 8, 1, 1}, {0, 1, 2, 3, 4, 5, 6, 7});
  t.AddOutput<int32_t>("output", {1, 2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  t.Run();
}

TEST(DepthToSpace, BadChannelsIsAnError) {
  OpTest t("DepthToSpace", 13);
  t.AddAttr("blocksize", int64_t{2});
  t.AddInput<float>("input", {1, 3, 1, 1}, {0, 1, 2});
  t.AddOutputUnchecked("output");
  t.RunExpectError("multiple");
}

}  // namespace onyx::test
