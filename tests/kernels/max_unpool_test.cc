#include "kernels/op_test.h"

namespace onyx::test {

TEST(MaxUnpool, ScattersToIndices) {
  OpTest t("MaxUnpool", 11);
  t.AddInput<float>("X", {1, 1, 2}, {5, 7});
  t.AddInput<int64_t>("I", {1, 1, 2}, {1, 2});
  t.AddAttr("kernel_shape", std::vector<int64_t>{2});
  t.AddAttr("strides", std::vector<int64_t>{2});
  t.AddOutput<float>("Y", {1, 1, 4}, {0, 5, 7, 0});
  t.Run();
}

TEST(MaxUnpool, IndexOutOfRangeIsAnError) {
  OpTest t("MaxUnpool", 11);
  t.AddInput<float>("X", {1, 1, 2}, {5, 7});
  t.AddInput<int64_t>("I", {1, 1, 2}, {1, 9});
  t.AddAttr("kernel_shape", std::vector<int64_t>{2});
  t.AddAttr("strides", std::vector<int64_t>{2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("index");
}

}  // namespace onyx::test
