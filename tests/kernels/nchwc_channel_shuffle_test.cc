// com.onyx:NchwcChannelShuffle against the standard Reshape - Transpose - Reshape it replaces, on channel counts
// that fill whole blocks and that do not (the padding lanes come out zero).
#include "kernels/nchwc_test_util.h"

namespace onyx::test::nchwc {
namespace {

Tensor Shuffle(const Tensor& blocked, int64_t group, int64_t channels) {
  OpTest t("NchwcChannelShuffle", 1, "com.onyx");
  t.AddInputValue("X", Value(blocked));
  t.AddAttr("group", group);
  t.AddAttr("channels", channels);
  t.AddOutputUnchecked("Y");
  auto out = t.RunAndGet();
  return out.empty() ? Tensor() : out[0].tensor();
}

TEST(NchwcChannelShuffle, MatchesReshapeTransposeReshape) {
  ONYX_SKIP_WITHOUT_NCHWC();
  for (int64_t group : {2, 3, 4}) {
    for (int64_t per_group : {4, 8, 12}) {
      const int64_t c = group * per_group;
      const Tensor x = Random({2, c, 5, 3}, 7);
      const Tensor y = Shuffle(Blocked(x), group, c);
      ASSERT_EQ(y.shape(), Blocked(x).shape());
      const Tensor plain = Unblocked(y, c);
      const float* xd = x.data<float>();
      const float* yd = plain.data<float>();
      for (int64_t n = 0; n < 2; ++n) {
        for (int64_t j = 0; j < c; ++j) {
          const int64_t s = (j % group) * per_group + j / group;
          for (int64_t p = 0; p < 15; ++p) ASSERT_EQ(yd[(n * c + j) * 15 + p], xd[(n * c + s) * 15 + p]);
        }
      }
      const int64_t cb = (c + 7) / 8;
      for (int64_t lane = c; lane < cb * 8; ++lane) EXPECT_EQ(y.data<float>()[((cb - 1) * 15) * 8 + lane % 8], 0.0f);
    }
  }
}

TEST(NchwcChannelShuffle, BadInputs) {
  ONYX_SKIP_WITHOUT_NCHWC();
  {
    OpTest t("NchwcChannelShuffle", 1, "com.onyx");
    t.AddInputValue("X", Value(Random({1, 2, 3, 3, 8}, 1)));
    t.AddAttr("group", int64_t{3});
    t.AddAttr("channels", int64_t{16});
    t.AddOutputUnchecked("Y");
    t.RunExpectError("divide channels");
  }
  {
    OpTest t("NchwcChannelShuffle", 1, "com.onyx");
    t.AddInputValue("X", Value(Random({1, 3, 3, 3, 8}, 1)));
    t.AddAttr("group", int64_t{2});
    t.AddAttr("channels", int64_t{16});
    t.AddOutputUnchecked("Y");
    t.RunExpectError("must be a blocked float tensor");
  }
}

}  // namespace
}  // namespace onyx::test::nchwc
