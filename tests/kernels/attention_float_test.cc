// Attention's float path (GEMM, vectorized softmax) against its double reference: the same random case run
// with float inputs and with double inputs (which take the reference) must agree.
#include <random>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

struct Case {
  Shape q = {}, k = {}, v = {};
  int64_t q_heads = 0, kv_heads = 0;  // attributes for 3-D inputs
  Shape past = {};                    // empty: no past
  Shape past_v = {};
  Shape mask = {};  // empty: no mask
  bool bool_mask = false;
  int64_t causal = 0;
  float softcap = 0.0f;
  float scale = 0.0f;
  int64_t qk_mode = -1;  // -1: the qk output not requested
  std::vector<int64_t> nonpad = {};
};

std::vector<double> Random(const Shape& s, std::mt19937& rng, double lo = -1.0, double hi = 1.0) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  std::uniform_real_distribution<double> dist(lo, hi);
  std::vector<double> v(static_cast<size_t>(n));
  for (double& x : v) x = dist(rng);
  return v;
}

template <typename T>
Value Make(const Shape& s, const std::vector<double>& v) {
  std::vector<T> t(v.begin(), v.end());
  return Value(Tensor::FromVector<T>(s, t));
}

template <typename T>
std::vector<Value> RunCase(const Case& c, unsigned seed) {
  std::mt19937 rng(seed);
  OpTest t("Attention", 24);  // 24: nonpad_kv_seqlen
  if (c.q_heads) t.AddAttr("q_num_heads", c.q_heads);
  if (c.kv_heads) t.AddAttr("kv_num_heads", c.kv_heads);
  if (c.causal) t.AddAttr("is_causal", c.causal);
  if (c.softcap > 0) t.AddAttr("softcap", c.softcap);
  if (c.scale != 0) t.AddAttr("scale", c.scale);
  if (c.qk_mode >= 0) t.AddAttr("qk_matmul_output_mode", c.qk_mode);
  t.AddInputValue("Q", Make<T>(c.q, Random(c.q, rng)));
  t.AddInputValue("K", Make<T>(c.k, Random(c.k, rng)));
  t.AddInputValue("V", Make<T>(c.v, Random(c.v, rng, -2, 2)));
  const bool more = !c.mask.empty() || !c.past.empty() || !c.nonpad.empty();
  if (!c.mask.empty()) {
    std::vector<double> m = Random(c.mask, rng, -3, 1);
    if (c.bool_mask) {
      std::vector<bool> b;
      for (size_t i = 0; i < m.size(); ++i) b.push_back(i % 3 != 1);
      t.AddInputValue("attn_mask", Value(Tensor::FromVector<bool>(c.mask, b)));
    } else {
      t.AddInputValue("attn_mask", Make<T>(c.mask, m));
    }
  } else if (more) {
    t.AddMissingInput();
  }
  if (!c.past.empty()) {
    t.AddInputValue("past_key", Make<T>(c.past, Random(c.past, rng)));
    t.AddInputValue("past_value", Make<T>(c.past_v, Random(c.past_v, rng)));
  } else if (!c.nonpad.empty()) {
    t.AddMissingInput();
    t.AddMissingInput();
  }
  if (!c.nonpad.empty()) {
    t.AddInputValue("nonpad_kv_seqlen",
                    Value(Tensor::FromVector<int64_t>({static_cast<int64_t>(c.nonpad.size())}, c.nonpad)));
  }
  t.AddOutputUnchecked("Y");
  if (!c.past.empty() || c.qk_mode >= 0) {
    t.AddOutputUnchecked("present_key");
    t.AddOutputUnchecked("present_value");
  }
  if (c.qk_mode >= 0) t.AddOutputUnchecked("qk_matmul_output");
  return t.RunAndGet();
}

void ExpectSame(const Case& c, unsigned seed) {
  const std::vector<Value> f = RunCase<float>(c, seed);
  const std::vector<Value> d = RunCase<double>(c, seed);
  ASSERT_EQ(f.size(), d.size());
  for (size_t o = 0; o < f.size(); ++o) {
    const Tensor& a = f[o].tensor();
    const Tensor& b = d[o].tensor();
    ASSERT_EQ(a.shape(), b.shape()) << "output " << o;
    ASSERT_EQ(a.type(), DataType::kFloat);
    for (int64_t i = 0; i < a.size(); ++i) {
      const double want = b.data<double>()[i];
      const double got = a.data<float>()[i];
      if (std::isinf(want)) {
        EXPECT_EQ(got, want) << "output " << o << " element " << i;
      } else {
        EXPECT_NEAR(got, want, 2e-5 + 2e-5 * std::fabs(want)) << "output " << o << " element " << i;
      }
    }
  }
}

TEST(AttentionFloat, FourDimensional) { ExpectSame({.q = {2, 3, 5, 8}, .k = {2, 3, 7, 8}, .v = {2, 3, 7, 6}}, 1); }

TEST(AttentionFloat, ThreeDimensionalGroupedWithPastAndCausal) {
  ExpectSame({.q = {2, 4, 24},
              .k = {2, 4, 12},
              .v = {2, 4, 10},
              .q_heads = 4,
              .kv_heads = 2,
              .past = {2, 2, 3, 6},
              .past_v = {2, 2, 3, 5},
              .causal = 1},
             2);
}

TEST(AttentionFloat, FloatMaskBroadcastAndShort) {
  // [B,1,1,T-2]: broadcast over heads and queries, and two keys short (masked).
  ExpectSame({.q = {2, 2, 3, 4}, .k = {2, 2, 9, 4}, .v = {2, 2, 9, 4}, .mask = {2, 1, 1, 7}}, 3);
  ExpectSame({.q = {1, 2, 3, 4}, .k = {1, 2, 5, 4}, .v = {1, 2, 5, 4}, .mask = {3, 5}}, 4);
}

TEST(AttentionFloat, BoolMaskSoftcapScaleAndQkModes) {
  for (int64_t mode = 0; mode <= 3; ++mode) {
    ExpectSame({.q = {1, 2, 4, 8},
                .k = {1, 2, 6, 8},
                .v = {1, 2, 6, 8},
                .mask = {1, 2, 4, 6},
                .bool_mask = true,
                .softcap = 1.5f,
                .scale = 0.7f,
                .qk_mode = mode},
               10 + static_cast<unsigned>(mode));
  }
}

TEST(AttentionFloat, NonPadLengths) {
  ExpectSame({.q = {3, 2, 4, 4}, .k = {3, 2, 6, 4}, .v = {3, 2, 6, 4}, .nonpad = {6, 2, 4}}, 5);
}

TEST(AttentionFloat, LongRowsUseEveryVectorLane) {
  // 37 keys: full vectors and a tail for every instruction set's width.
  ExpectSame({.q = {1, 12, 17, 32}, .k = {1, 12, 37, 32}, .v = {1, 12, 37, 32}, .mask = {1, 1, 1, 37}}, 6);
}

}  // namespace
}  // namespace onyx::test
