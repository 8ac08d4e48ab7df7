#include "kernels/op_test.h"

namespace onyx::test {

TEST(TensorScatter, Linear) {
  OpTest t("TensorScatter", 24);
  t.AddInput<float>("past_cache", {2, 3, 1}, {1, 2, 3, 4, 5, 6});
  t.AddInput<float>("update", {2, 1, 1}, {10, 20});
  t.AddInput<int64_t>("write_indices", {2}, {2, 0});
  t.AddOutput<float>("present_cache", {2, 3, 1}, {1, 2, 10, 20, 5, 6});
  t.Run();
}

TEST(TensorScatter, CircularWraps) {
  OpTest t("TensorScatter", 24);
  t.AddAttr("mode", std::string("circular"));
  t.AddInput<int32_t>("past_cache", {1, 3, 1}, {1, 2, 3});
  t.AddInput<int32_t>("update", {1, 2, 1}, {7, 8});
  t.AddInput<int64_t>("write_indices", {1}, {2});
  t.AddOutput<int32_t>("present_cache", {1, 3, 1}, {8, 2, 7});
  t.Run();
}

TEST(TensorScatter, LinearOverflowIsAnError) {
  OpTest t("TensorScatter", 24);
  t.AddInput<float>("past_cache", {1, 3, 1}, {1, 2, 3});
  t.AddInput<float>("update", {1, 2, 1}, {7, 8});
  t.AddInput<int64_t>("write_indices", {1}, {2});
  t.AddOutput<float>("present_cache", {1, 3, 1}, {1, 2, 3});
  t.RunExpectError("write index");
}

}  // namespace onyx::test
