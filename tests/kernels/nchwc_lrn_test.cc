// com.onyx:NchwcLrn and the standard LRN kernel against LRN computed in double here: channel counts that fill whole
// blocks and that do not (whose padding lanes hold large values that must stay out of the sums and come out zero),
// odd and even sizes, windows wider than a block and than all the channels, and the exponents with a fast path (0.75, 0.5, 1) and one without.
#include <cmath>

#include "kernels/nchwc_test_util.h"

namespace onyx::test::nchwc {
namespace {

struct LrnCase {
  int64_t channels, size;
  float alpha, beta, bias;
};

// x [N, C, H, W] -> LRN(x) in double, rounded to float.
Tensor Reference(const Tensor& x, const LrnCase& c) {
  Tensor y = Tensor::Create(DataType::kFloat, x.shape()).take();
  const int64_t n = x.dim(0), ch = x.dim(1), hw = x.dim(2) * x.dim(3);
  const int64_t before = (c.size - 1) / 2, after = c.size - 1 - before;
  const float* xd = x.data<float>();
  float* yd = y.data<float>();
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t k = 0; k < ch; ++k) {
      for (int64_t p = 0; p < hw; ++p) {
        double sq = 0;
        for (int64_t j = std::max<int64_t>(0, k - before); j <= std::min(ch - 1, k + after); ++j) {
          const double v = xd[(i * ch + j) * hw + p];
          sq += v * v;
        }
        const double base = double{c.bias} + double{c.alpha} / static_cast<double>(c.size) * sq;
        yd[(i * ch + k) * hw + p] = static_cast<float>(xd[(i * ch + k) * hw + p] / std::pow(base, double{c.beta}));
      }
    }
  }
  return y;
}

void AddLrnAttrs(OpTest& t, const LrnCase& c) {
  t.AddAttr("size", c.size);
  t.AddAttr("alpha", c.alpha);
  t.AddAttr("beta", c.beta);
  t.AddAttr("bias", c.bias);
}

const LrnCase kCases[] = {
    {64, 5, 1e-4f, 0.75f, 1.0f}, {12, 5, 0.5f, 0.75f, 2.0f}, {20, 3, 1.0f, 0.5f, 1.0f}, {8, 2, 2.0f, 1.0f, 0.5f},
    {13, 13, 1.5f, 0.6f, 1.0f},  {30, 1, 3.0f, 0.75f, 1.0f}, {3, 7, 0.7f, 0.75f, 1.0f}, {5, 1001, 9.0f, 0.75f, 1.0f},
};

TEST(NchwcLrn, MatchesDoubleReferenceWithPaddingLanesLeftOut) {
  ONYX_SKIP_WITHOUT_NCHWC();
  for (const LrnCase& c : kCases) {
    const std::string what = "channels " + std::to_string(c.channels) + " size " + std::to_string(c.size) + " beta " +
                             std::to_string(c.beta);
    const Tensor x = Random({2, c.channels, 7, 9}, static_cast<uint32_t>(c.channels * 31 + c.size), -3, 3);
    Tensor blocked = Blocked(x);
    // Padding lanes as a convolution's epilogue may leave them: finite, not zero.
    const int64_t cb = blocked.dim(1), hw = 63;
    for (int64_t i = 0; i < 2; ++i) {
      for (int64_t lane = c.channels % 8; c.channels % 8 != 0 && lane < 8; ++lane) {
        for (int64_t p = 0; p < hw; ++p) blocked.data<float>()[((i * cb + cb - 1) * hw + p) * 8 + lane] = 50.0f;
      }
    }
    OpTest t("NchwcLrn", 1, "com.onyx");
    t.AddInputValue("X", Value(blocked));
    AddLrnAttrs(t, c);
    t.AddAttr("channels", c.channels);
    t.AddOutputUnchecked("Y");
    auto out = t.RunAndGet();
    ASSERT_EQ(out.size(), 1u) << what;
    const Tensor& y = out[0].tensor();
    ASSERT_EQ(y.shape(), blocked.shape()) << what;
    ExpectClose(Reference(x, c), Unblocked(y, c.channels), what);
    for (int64_t i = 0; i < 2; ++i) {
      for (int64_t lane = c.channels % 8; c.channels % 8 != 0 && lane < 8; ++lane) {
        for (int64_t p = 0; p < hw; ++p) {
          ASSERT_EQ(y.data<float>()[((i * cb + cb - 1) * hw + p) * 8 + lane], 0.0f) << what << " padding lane";
        }
      }
    }
  }
}

TEST(NchwcLrn, PlainKernelMatchesDoubleReference) {
  for (const LrnCase& c : kCases) {
    const Tensor x = Random({2, c.channels, 7, 9}, static_cast<uint32_t>(c.channels * 17 + c.size), -3, 3);
    OpTest t("LRN", 13);
    t.AddInputValue("X", Value(x));
    AddLrnAttrs(t, c);
    t.AddOutputUnchecked("Y");
    auto out = t.RunAndGet();
    ASSERT_EQ(out.size(), 1u);
    ExpectClose(Reference(x, c), out[0].tensor(), "LRN channels " + std::to_string(c.channels));
  }
}

TEST(NchwcLrn, BadInputs) {
  ONYX_SKIP_WITHOUT_NCHWC();
  {
    OpTest t("NchwcLrn", 1, "com.onyx");
    t.AddInputValue("X", Value(Random({1, 2, 3, 3, 8}, 1)));
    t.AddAttr("size", int64_t{0});
    t.AddAttr("channels", int64_t{16});
    t.AddOutputUnchecked("Y");
    t.RunExpectError("must be positive");
  }
  {
    OpTest t("NchwcLrn", 1, "com.onyx");
    t.AddInputValue("X", Value(Random({1, 3, 3, 3, 8}, 1)));
    t.AddAttr("size", int64_t{5});
    t.AddAttr("channels", int64_t{16});
    t.AddOutputUnchecked("Y");
    t.RunExpectError("must be a blocked float tensor");
  }
}

}  // namespace
}  // namespace onyx::test::nchwc
