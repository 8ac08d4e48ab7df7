// com.onyx:ReorderToNchwc / ReorderFromNchwc: exact layout, zero padding channels, round trips.
#include "kernels/nchwc_test_util.h"

namespace onyx::test::nchwc {
namespace {

Tensor Reorder(const std::string& op, const Tensor& x, int64_t channels = 0) {
  OpTest t(op, 1, "com.onyx");
  t.AddInputValue("X", Value(x));
  if (channels > 0) t.AddAttr("channels", channels);
  t.AddOutputUnchecked("Y");
  auto out = t.RunAndGet();
  return out.empty() ? Tensor() : out[0].tensor();
}

TEST(NchwcReorder, LayoutAndRoundTrip) {
  ONYX_SKIP_WITHOUT_NCHWC();
  for (int64_t c : {3, 8, 13, 64}) {
    for (int64_t hw : {1, 7, 64}) {
      const Tensor x = Random({2, c, hw, 1}, 5);
      const Tensor y = Reorder("ReorderToNchwc", x);
      const int64_t cb = (c + 7) / 8;
      ASSERT_EQ(y.shape(), (Shape{2, cb, hw, 1, 8}));
      const float* xd = x.data<float>();
      const float* yd = y.data<float>();
      for (int64_t n = 0; n < 2; ++n) {
        for (int64_t ch = 0; ch < cb * 8; ++ch) {
          for (int64_t p = 0; p < hw; ++p) {
            const float want = ch < c ? xd[(n * c + ch) * hw + p] : 0.0f;
            ASSERT_EQ(yd[((n * cb + ch / 8) * hw + p) * 8 + ch % 8], want) << "c" << c << " hw" << hw;
          }
        }
      }
      const Tensor back = Reorder("ReorderFromNchwc", y, c);
      ASSERT_EQ(back.shape(), x.shape());
      EXPECT_EQ(CompareValues(Value(x), Value(back), {0, 0}), "");
    }
  }
}

// Where AVX2 is missing (run the tests with ONYX_ISA=portable, as make test does once), the kernels refuse with an
// error that says why instead of running code the processor cannot execute.
TEST(NchwcRefusal, WithoutAvx2) {
  if (cpu::HasAvx2()) GTEST_SKIP() << "checks the refusal where AVX2 is missing: run with ONYX_ISA=portable";
  OpTest t("ReorderToNchwc", 1, "com.onyx");
  t.AddInputValue("X", Value(Random({1, 8, 3, 3}, 1)));
  t.AddOutputUnchecked("Y");
  t.RunExpectError("need AVX2");
}

TEST(NchwcReorder, BadInputs) {
  ONYX_SKIP_WITHOUT_NCHWC();
  {
    OpTest t("ReorderFromNchwc", 1, "com.onyx");
    t.AddInputValue("X", Value(Random({1, 2, 3, 3, 8}, 1)));
    t.AddAttr("channels", int64_t{20});
    t.AddOutputUnchecked("Y");
    t.RunExpectError("for 20 channels");
  }
  {
    OpTest t("ReorderFromNchwc", 1, "com.onyx");
    t.AddInputValue("X", Value(Random({1, 2, 3, 3, 8}, 1)));
    t.AddOutputUnchecked("Y");
    t.RunExpectError("channels");
  }
  {
    OpTest t("ReorderToNchwc", 1, "com.onyx");
    t.AddInputValue("X", Value(Random({4, 3}, 1)));
    t.AddOutputUnchecked("Y");
    t.RunExpectError("[N, C, spatial...]");
  }
}

}  // namespace
}  // namespace onyx::test::nchwc
