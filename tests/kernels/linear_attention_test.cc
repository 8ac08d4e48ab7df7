#include "kernels/op_test.h"

namespace onyx::test {

namespace {
void AddQkv(OpTest& t) {
  t.AddInput<float>("query", {1, 2, 2}, {0.5f, -0.2f, 0.1f, 0.3f});
  t.AddInput<float>("key", {1, 2, 2}, {0.6f, 0.8f, 1, 0});
  t.AddInput<float>("value", {1, 2, 2}, {1, 2, 3, 4});
}
}  // namespace

TEST(LinearAttention, Linear) {
  OpTest t("LinearAttention", 27);
  t.AddAttr("q_num_heads", int64_t{1});
  t.AddAttr("kv_num_heads", int64_t{1});
  t.AddAttr("update_rule", std::string("linear"));
  AddQkv(t);
  t.AddOutput<float>("output", {1, 2, 2}, {0.0989949f, 0.19799f, 0.424264f, 0.707107f});
  t.AddOutput<float>("present_state", {1, 1, 2, 2}, {3.6f, 5.2f, 0.8f, 1.6f});
  t.Run();
}

TEST(LinearAttention, GatedDelta) {
  OpTest t("LinearAttention", 27);
  t.AddAttr("q_num_heads", int64_t{1});
  t.AddAttr("kv_num_heads", int64_t{1});
  AddQkv(t);
  t.AddMissingInput();
  t.AddInput<float>("decay", {1, 2, 1}, {-0.1f, -0.5f});
  t.AddInput<float>("beta", {1, 2, 1}, {0.5f, 0.9f});
  t.AddOutput<float>("output", {1, 2, 2}, {0.0494975f, 0.0989949f, 0.243671f, 0.360063f});
  t.AddOutput<float>("present_state", {1, 1, 2, 2}, {2.7182f, 3.63639f, 0.242612f, 0.485225f});
  t.Run();
}

TEST(LinearAttention, MissingDecayIsAnError) {
  OpTest t("LinearAttention", 27);
  t.AddAttr("q_num_heads", int64_t{1});
  t.AddAttr("kv_num_heads", int64_t{1});
  t.AddAttr("update_rule", std::string("gated"));
  AddQkv(t);
  t.AddOutput<float>("output", {1, 2, 2}, {0, 0, 0, 0});
  t.AddOutputUnchecked("present_state");
  t.RunExpectError("decay");
}

}  // namespace onyx::test
