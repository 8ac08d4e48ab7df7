#include "kernels/op_test.h"

namespace onyx::test {

namespace {
void AddRopeInputs(OpTest& t) {
  t.AddInput<float>("X", {1, 1, 2, 4}, {0, 0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f});
  t.AddInput<float>("cos_cache", {3, 2}, {1, 1, 0.5f, 0.8f, 0.2f, 0.3f});
  t.AddInput<float>("sin_cache", {3, 2}, {0, 0, 0.6f, 0.7f, 0.9f, 0.1f});
  t.AddInput<int64_t>("position_ids", {1, 2}, {2, 1});
}
}  // namespace

TEST(RotaryEmbedding, HalvesWithPositionIds) {
  OpTest t("RotaryEmbedding", 23);
  AddRopeInputs(t);
  t.AddOutput<float>("Y", {1, 1, 2, 4}, {-0.9f, 0, 0.2f, 0.5f, -0.8f, -0.45f, 2.7f, 4.55f});
  t.Run();
}

TEST(RotaryEmbedding, Interleaved) {
  OpTest t("RotaryEmbedding", 23);
  t.AddAttr("interleaved", int64_t{1});
  AddRopeInputs(t);
  t.AddOutput<float>("Y", {1, 1, 2, 4}, {-0.45f, 0.1f, 0.15f, 0.55f, -0.5f, 2.45f, -0.05f, 4.9f});
  t.Run();
}

TEST(RotaryEmbedding, PositionOutOfRangeIsAnError) {
  OpTest t("RotaryEmbedding", 23);
  t.AddInput<float>("X", {1, 1, 1, 2}, {1, 2});
  t.AddInput<float>("cos_cache", {1, 1}, {1});
  t.AddInput<float>("sin_cache", {1, 1}, {0});
  t.AddInput<int64_t>("position_ids", {1, 1}, {5});
  t.AddOutput<float>("Y", {1, 1, 1, 2}, {1, 2});
  t.RunExpectError("position id");
}

}  // namespace onyx::test
