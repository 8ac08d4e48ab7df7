#include "kernels/op_test.h"

namespace onyx::test {

namespace {
void AddQkv(OpTest& t) {
  t.AddInput<float>("Q", {1, 1, 3, 2}, {0.1f, 0.2f, 0.3f, -0.4f, 0.5f, 0.6f});
  t.AddInput<float>("K", {1, 1, 3, 2}, {0.3f, -0.1f, 0.2f, 0.4f, -0.5f, 0.1f});
  t.AddInput<float>("V", {1, 1, 3, 2}, {1, 2, 3, 4, 5, 6});
}
}  // namespace

TEST(Attention, Causal) {
  OpTest t("Attention", 23);
  t.AddAttr("is_causal", int64_t{1});
  AddQkv(t);
  t.AddOutput<float>("Y", {1, 1, 3, 2}, {1, 2, 1.91886f, 2.91886f, 2.8808f, 3.8808f});
  t.Run();
}

TEST(Attention, BoolMask) {
  OpTest t("Attention", 24);
  AddQkv(t);
  t.AddInputValue("attn_mask", Value(Tensor::FromVector<bool>({1, 3}, {true, false, true})));
  t.AddOutput<float>("Y", {1, 1, 3, 2}, {2.97172f, 3.97172f, 2.77469f, 3.77469f, 2.80265f, 3.80265f});
  t.Run();
}

TEST(Attention, SoftcapAndQkOutput) {
  OpTest t("Attention", 23);
  t.AddAttr("softcap", 2.0f);
  t.AddAttr("qk_matmul_output_mode", int64_t{0});
  AddQkv(t);
  t.AddOutput<float>("Y", {1, 1, 3, 2}, {2.98164f, 3.98164f, 2.8472f, 3.8472f, 2.88087f, 3.88087f});
  t.AddMissingOutput();
  t.AddMissingOutput();
  t.AddOutputUnchecked("qk_matmul_output");
  t.Run();
}

TEST(Attention, GroupedQuery3DWithPast) {
  OpTest t("Attention", 23);
  t.AddAttr("q_num_heads", int64_t{2});
  t.AddAttr("kv_num_heads", int64_t{1});
  t.AddInput<float>("Q", {1, 2, 4}, {0.1f, 0.2f, 0.3f, -0.4f, 0.5f, 0.6f, 0.7f, -0.8f});
  t.AddInput<float>("K", {1, 2, 2}, {0.3f, -0.1f, 0.2f, 0.4f});
  t.AddInput<float>("V", {1, 2, 2}, {1, 2, 3, 4});
  t.AddMissingInput();
  t.AddInput<float>("past_key", {1, 1, 1, 2}, {0.5f, 0.5f});
  t.AddInput<float>("past_value", {1, 1, 1, 2}, {-1, 1});
  t.AddOutput<float>("Y", {1, 2, 4},
                     {0.975801f, 2.32411f, 0.977596f, 2.30007f, 0.893208f, 2.28015f, 0.944832f, 2.25891f});
  t.AddOutput<float>("present_key", {1, 1, 3, 2}, {0.5f, 0.5f, 0.3f, -0.1f, 0.2f, 0.4f});
  t.AddOutput<float>("present_value", {1, 1, 3, 2}, {-1, 1, 1, 2, 3, 4});
  t.Run();
}

TEST(Attention, HeadCountMismatchIsAnError) {
  OpTest t("Attention", 23);
  t.AddAttr("q_num_heads", int64_t{3});
  t.AddAttr("kv_num_heads", int64_t{2});
  t.AddInput<float>("Q", {1, 1, 6}, {1, 2, 3, 4, 5, 6});
  t.AddInput<float>("K", {1, 1, 4}, {1, 2, 3, 4});
  t.AddInput<float>("V", {1, 1, 4}, {1, 2, 3, 4});
  t.AddOutput<float>("Y", {1, 1, 6}, {0, 0, 0, 0, 0, 0});
  t.RunExpectError("multiple");
}

}  // namespace onyx::test
