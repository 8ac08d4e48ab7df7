// The integer products behind the com.microsoft quantized operators (kernels/quant/quant_gemm.h): the int16 pair
// GEMV, the float GEMM where it is provably exact and the int32 loop where it is not, each against an int64
// reference, with odd sizes and values at the ends of the centered 8-bit range.
#include "ep/cpu/kernels/quant/quant_gemm.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "ep/cpu/ukernels/int16_gemv.h"

namespace onyx::cpu::quant {
namespace {

std::vector<int32_t> Centered(int64_t count, int seed) {
  std::vector<int32_t> v(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    const int64_t r = (i * 7919 + seed * 104729 + (i * i) % 31) % 511;
    v[static_cast<size_t>(i)] = static_cast<int32_t>(r) - 255;  // [-255, 255]
  }
  if (count > 2) {
    v[0] = 255;
    v[1] = -255;
  }
  return v;
}

std::vector<int32_t> Reference(const std::vector<int32_t>& a, const std::vector<int32_t>& b, int64_t m, int64_t k,
                               int64_t n) {
  std::vector<int32_t> out(static_cast<size_t>(m * n));
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      int64_t s = 0;
      for (int64_t l = 0; l < k; ++l)
        s += int64_t{a[static_cast<size_t>(i * k + l)]} * b[static_cast<size_t>(l * n + j)];
      out[static_cast<size_t>(i * n + j)] = static_cast<int32_t>(s);
    }
  }
  return out;
}

TEST(Int16Gemv, OddSizesMatchTheReference) {
  for (int64_t k : {1, 2, 37, 256}) {
    for (int64_t n : {1, 31, 32, 45, 1024}) {
      const std::vector<int32_t> a = Centered(k, 1), b = Centered(k * n, 2);
      const ukernels::Int16PairsB packed = ukernels::PackInt16Pairs(b.data(), k, n);
      std::vector<int32_t> out(static_cast<size_t>(n));
      ukernels::Int16Gemv(a.data(), packed, out.data());
      EXPECT_EQ(out, Reference(a, b, 1, k, n)) << "k " << k << ", n " << n;
    }
  }
}

// m = 2 takes the GEMV, m = 7 the float GEMM when k * 255 * max|B| < 2^24 (k = 37) and the int32 loop when not
// (k = 300 with values of 255 needs more than float's 24 bits).
TEST(PreparedProduct, EveryPathIsExact) {
  for (int64_t k : {37, 300}) {
    for (int64_t m : {2, 7}) {
      const int64_t n = 45;
      const std::vector<int32_t> a = Centered(m * k, 3), b = Centered(k * n, 4);
      const PreparedB prepared = PrepareB(b, k, n);
      EXPECT_EQ(prepared.as_float.empty(), k == 300);
      std::vector<int32_t> out(static_cast<size_t>(m * n));
      PreparedProduct(a.data(), m, prepared, out.data(), nullptr);
      EXPECT_EQ(out, Reference(a, b, m, k, n)) << "k " << k << ", m " << m;
    }
  }
}

TEST(DynamicU8Params, RangeHoldsZeroAndZeroPointRoundsHalfToEven) {
  const float x[] = {0.5f, 2.0f, 1.0f};  // all positive: the range starts at 0
  const QParams p = DynamicU8Params(x, 3);
  EXPECT_FLOAT_EQ(p.scale, 2.0f / 255.0f);
  EXPECT_EQ(p.zero_point, 0);
  // Ranges of 127.5 give the exact scale 0.5, and zero lands on 0.5 and 1.5: half to even gives 0 and 2.
  const float y[] = {-0.25f, 127.25f};
  EXPECT_EQ(DynamicU8Params(y, 2).zero_point, 0);
  const float w[] = {-0.75f, 126.75f};
  EXPECT_EQ(DynamicU8Params(w, 2).zero_point, 2);
  const float z[] = {0.0f, 0.0f};  // an all-zero tensor gets scale 1
  EXPECT_FLOAT_EQ(DynamicU8Params(z, 2).scale, 1.0f);
}

}  // namespace
}  // namespace onyx::cpu::quant
