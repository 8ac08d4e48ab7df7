// The integer GEMM (ep/cpu/kernels/quant/int8_gemm.h) against naive references, on every micro-kernel family the
// processor has: odd sizes, both signedness of each operand, zero points absent, per tensor, per row of A and
// per column of B, transposed A and channel-major output, and the requantizing epilogue.
#include "ep/cpu/kernels/quant/int8_gemm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "common/thread_pool.h"

namespace onyx::test {
namespace {

using cpu::quant::Qgemm;
using cpu::quant::QgemmArgs;
using cpu::quant::QgemmEpilogue;
using cpu::quant::QgemmIsa;
using cpu::quant::QgemmPackedB;

int32_t Byte(uint8_t v, bool is_signed) { return is_signed ? static_cast<int8_t>(v) : v; }

std::vector<uint8_t> RandomBytes(std::mt19937& rng, int64_t n) {
  std::uniform_int_distribution<int> d(0, 255);
  std::vector<uint8_t> v(static_cast<size_t>(n));
  for (auto& x : v) x = static_cast<uint8_t>(d(rng));
  return v;
}

struct Case {
  int64_t m, n, k;
  bool a_signed, b_signed;
  int zero_mode;  // 0: none, 1: per tensor, 2: per row of A and per column of B
  bool a_trans;
};

// The exact int32 product of the centered operands, computed in int64.
std::vector<int32_t> Reference(const Case& c, const std::vector<uint8_t>& a, const std::vector<uint8_t>& b,
                               const std::vector<int32_t>& za, const std::vector<int32_t>& zb) {
  std::vector<int32_t> out(static_cast<size_t>(c.m * c.n));
  for (int64_t i = 0; i < c.m; ++i) {
    for (int64_t j = 0; j < c.n; ++j) {
      int64_t s = 0;
      const int32_t zai = za.empty() ? 0 : za[za.size() == 1 ? 0 : static_cast<size_t>(i)];
      const int32_t zbj = zb.empty() ? 0 : zb[zb.size() == 1 ? 0 : static_cast<size_t>(j)];
      for (int64_t l = 0; l < c.k; ++l) {
        const uint8_t av = c.a_trans ? a[static_cast<size_t>(l * c.m + i)] : a[static_cast<size_t>(i * c.k + l)];
        s += static_cast<int64_t>(Byte(av, c.a_signed) - zai) *
             (Byte(b[static_cast<size_t>(l * c.n + j)], c.b_signed) - zbj);
      }
      out[static_cast<size_t>(i * c.n + j)] = static_cast<int32_t>(s);
    }
  }
  return out;
}

std::vector<int32_t> ZeroPoints(std::mt19937& rng, int mode, int64_t count, bool is_signed) {
  if (mode == 0) return {};
  std::uniform_int_distribution<int> d(is_signed ? -128 : 0, is_signed ? 127 : 255);
  std::vector<int32_t> z(static_cast<size_t>(mode == 1 ? 1 : count));
  for (auto& v : z) v = d(rng);
  return z;
}

class Int8GemmIsaTest : public ::testing::TestWithParam<QgemmIsa> {
 protected:
  void SetUp() override {
    if (!cpu::quant::QgemmIsaAvailable(GetParam())) {
      GTEST_SKIP() << "this processor lacks " << cpu::quant::QgemmIsaName(GetParam());
    }
  }
};

TEST_P(Int8GemmIsaTest, Int32MatchesReference) {
  std::mt19937 rng(1234);
  const int64_t sizes[] = {1, 3, 17, 33, 65};
  ThreadPool pool(2);
  int checked = 0;
  for (int64_t m : sizes) {
    for (int64_t n : sizes) {
      for (int64_t k : sizes) {
        for (int combo = 0; combo < 4; ++combo) {
          // Every signedness and zero-point case, spread over the sizes so the loop stays quick.
          const int pick = static_cast<int>((m + 3 * n + 7 * k + combo) % 12);
          Case c{m, n, k, (combo & 1) != 0, (combo & 2) != 0, pick % 3, pick >= 6};
          const auto a = RandomBytes(rng, m * k), b = RandomBytes(rng, k * n);
          const auto za = ZeroPoints(rng, c.zero_mode, m, c.a_signed);
          const auto zb = ZeroPoints(rng, c.zero_mode, n, c.b_signed);
          QgemmPackedB pb;
          pb.Pack(b.data(), c.b_signed, k, n, n);
          std::vector<int32_t> out(static_cast<size_t>(m * n), 0x5A5A5A5A);
          QgemmArgs g;
          g.m = m;
          g.a = a.data();
          g.a_signed = c.a_signed;
          g.lda = c.a_trans ? m : k;
          g.a_trans = c.a_trans;
          g.a_zero = za.empty() ? nullptr : za.data();
          g.a_zero_per_row = za.size() > 1;
          g.b_zero = zb.empty() ? nullptr : zb.data();
          g.b_zero_per_col = zb.size() > 1;
          g.b = &pb;
          g.epilogue.kind = QgemmEpilogue::kInt32;
          g.epilogue.out = out.data();
          g.epilogue.out_row = n;
          Qgemm(g, (m + n) % 2 == 0 ? &pool : nullptr, GetParam());
          ASSERT_EQ(out, Reference(c, a, b, za, zb))
              << "m " << m << " n " << n << " k " << k << " a_signed " << c.a_signed << " b_signed " << c.b_signed
              << " zero_mode " << c.zero_mode << " a_trans " << c.a_trans;
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 5 * 5 * 5 * 4);
}

// A handed over already packed (the layout QgemmPackedALayout gives, int8 moved by 128), as the convolutions'
// gathers do; with another micro-kernel forced, the layout may differ and Qgemm copies it instead.
TEST_P(Int8GemmIsaTest, PrepackedAMatchesReference) {
  std::mt19937 rng(77);
  for (int64_t m : {3, 17, 70}) {
    for (bool a_signed : {false, true}) {
      Case c{m, 37, 150, a_signed, true, 2, false};
      const auto a = RandomBytes(rng, m * c.k), b = RandomBytes(rng, c.k * c.n);
      const auto za = ZeroPoints(rng, 1, m, a_signed), zb = ZeroPoints(rng, 2, c.n, true);
      QgemmPackedB pb;
      pb.Pack(b.data(), true, c.k, c.n, c.n);
      const cpu::quant::QgemmPackedA layout = cpu::quant::QgemmPackedALayout(pb, m);
      ASSERT_GE(layout.stride, c.k);
      ASSERT_GE(layout.rows, m);
      std::vector<uint8_t> packed(static_cast<size_t>(layout.rows * layout.stride), 0xEE);
      for (int64_t i = 0; i < m; ++i) {
        for (int64_t l = 0; l < layout.stride; ++l) {
          packed[static_cast<size_t>(i * layout.stride + l)] =
              l < c.k ? static_cast<uint8_t>(a[static_cast<size_t>(i * c.k + l)] ^ (a_signed ? 0x80 : 0)) : 0;
        }
      }
      std::vector<int32_t> out(static_cast<size_t>(m * c.n));
      QgemmArgs g;
      g.m = m;
      g.a = packed.data();
      g.a_signed = a_signed;
      g.a_packed = true;
      g.lda = layout.stride;
      g.a_zero = za.data();
      g.b_zero = zb.data();
      g.b_zero_per_col = true;
      g.b = &pb;
      g.epilogue.out = out.data();
      g.epilogue.out_row = c.n;
      Qgemm(g, nullptr, GetParam());
      ASSERT_EQ(out, Reference(c, a, b, za, zb)) << "m " << m << " a_signed " << a_signed;
    }
  }
}

// A pre-packed A whose rows the product asks for block by block (a_fill), on two threads: inside the product's
// tasks where the columns are not split, in a pass of its own where they are (few rows, many columns).
TEST_P(Int8GemmIsaTest, FilledAMatchesReference) {
  std::mt19937 rng(78);
  ThreadPool pool(2);
  for (int64_t m : {3, 70, 150, 200}) {
    for (int64_t n : {37, 300}) {
      Case c{m, n, 90, false, true, 1, false};
      const auto a = RandomBytes(rng, m * c.k), b = RandomBytes(rng, c.k * n);
      const auto za = ZeroPoints(rng, 1, m, false), zb = ZeroPoints(rng, 1, n, true);
      QgemmPackedB pb;
      pb.Pack(b.data(), true, c.k, n, n);
      const cpu::quant::QgemmPackedA layout = cpu::quant::QgemmPackedALayout(pb, m);
      std::vector<uint8_t> packed(static_cast<size_t>(layout.rows * layout.stride), 0xEE);
      std::vector<int> filled(static_cast<size_t>(m), 0);
      auto fill = [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
          ++filled[static_cast<size_t>(i)];
          for (int64_t l = 0; l < layout.stride; ++l) {
            packed[static_cast<size_t>(i * layout.stride + l)] = l < c.k ? a[static_cast<size_t>(i * c.k + l)] : 0;
          }
        }
      };
      const ThreadPool::RangeFn fill_fn(fill);
      std::vector<int32_t> out(static_cast<size_t>(m * n));
      QgemmArgs g;
      g.m = m;
      g.a = packed.data();
      g.a_packed = true;
      g.a_fill = &fill_fn;
      g.lda = layout.stride;
      g.a_zero = za.data();
      g.b_zero = zb.data();
      g.b = &pb;
      g.epilogue.out = out.data();
      g.epilogue.out_row = n;
      Qgemm(g, &pool, GetParam());
      ASSERT_EQ(out, Reference(c, a, b, za, zb)) << "m " << m << " n " << n;
      for (int f : filled) ASSERT_EQ(f, 1) << "m " << m << " n " << n;
    }
  }
}

// Unsigned row-major A whose rows need no padding (K a multiple of 64, so of 4 too) is read where it is; a last
// group of rows that is not a whole AMX tile is copied.
TEST_P(Int8GemmIsaTest, InPlaceAMatchesReference) {
  std::mt19937 rng(78);
  for (int64_t m : {5, 70, 80}) {
    for (int zero_mode : {1, 2}) {
      Case c{m, 40, 128, false, zero_mode == 2, zero_mode, false};
      const auto a = RandomBytes(rng, m * c.k), b = RandomBytes(rng, c.k * c.n);
      const auto za = ZeroPoints(rng, zero_mode, m, false), zb = ZeroPoints(rng, zero_mode, c.n, c.b_signed);
      QgemmPackedB pb;
      pb.Pack(b.data(), c.b_signed, c.k, c.n, c.n);
      std::vector<int32_t> out(static_cast<size_t>(m * c.n));
      QgemmArgs g;
      g.m = m;
      g.a = a.data();
      g.lda = c.k;
      g.a_zero = za.data();
      g.a_zero_per_row = za.size() > 1;
      g.b_zero = zb.data();
      g.b_zero_per_col = zb.size() > 1;
      g.b = &pb;
      g.epilogue.out = out.data();
      g.epilogue.out_row = c.n;
      Qgemm(g, nullptr, GetParam());
      ASSERT_EQ(out, Reference(c, a, b, za, zb)) << "m " << m << " zero_mode " << zero_mode;
    }
  }
}

// uint8 255 against int8 -128 in every position: the pairs vpmaddubsw would saturate on must come out exact.
TEST_P(Int8GemmIsaTest, ExtremesAreExact) {
  for (int variant = 0; variant < 4; ++variant) {
    // 40 rows reach the AMX tiles, 7 stay on the vector kernels.
    const bool b_signed = (variant & 1) != 0;
    const int64_t m = variant < 2 ? 7 : 40, n = 19, k = 1001;
    std::vector<uint8_t> a(static_cast<size_t>(m * k), 255);
    std::vector<uint8_t> b(static_cast<size_t>(k * n), b_signed ? 0x80 : 0);
    QgemmPackedB pb;
    pb.Pack(b.data(), b_signed, k, n, n);
    std::vector<int32_t> out(static_cast<size_t>(m * n));
    QgemmArgs g;
    g.m = m;
    g.a = a.data();
    g.lda = k;
    g.b = &pb;
    g.epilogue.out = out.data();
    g.epilogue.out_row = n;
    Qgemm(g, nullptr, GetParam());
    for (int32_t v : out) ASSERT_EQ(v, b_signed ? 255 * -128 * k : 0);
  }
}

// The requantizing epilogue (bias, per-column scales, output zero point, saturation, half-to-even rounding)
// into row-major and channel-major outputs of both types.
TEST_P(Int8GemmIsaTest, RequantizedMatchesReference) {
  std::mt19937 rng(99);
  for (int64_t m : {1, 5, 50, 97}) {
    for (int64_t n : {1, 16, 37, 70}) {
      for (int variant = 0; variant < 4; ++variant) {
        const bool out_signed = (variant & 1) != 0, channel_major = (variant & 2) != 0;
        Case c{m, n, 45, variant == 1, variant != 2, 1, variant == 3};
        const auto a = RandomBytes(rng, m * c.k), b = RandomBytes(rng, c.k * n);
        const auto za = ZeroPoints(rng, 1, m, c.a_signed), zb = ZeroPoints(rng, 1, n, c.b_signed);
        std::vector<int32_t> bias(static_cast<size_t>(n));
        std::vector<float> scale(static_cast<size_t>(n));
        std::uniform_int_distribution<int> bd(-5000, 5000);
        std::uniform_real_distribution<float> sd(1e-4f, 3e-3f);
        for (int64_t j = 0; j < n; ++j) {
          bias[static_cast<size_t>(j)] = bd(rng);
          // Every fourth column gets a scale that lands exact halves, so ties to even are checked.
          scale[static_cast<size_t>(j)] = j % 4 == 0 ? 0.5f : sd(rng);
        }
        const int32_t zp = out_signed ? -3 : 121;
        QgemmPackedB pb;
        pb.Pack(b.data(), c.b_signed, c.k, n, n);
        std::vector<uint8_t> out(static_cast<size_t>(m * n));
        QgemmArgs g;
        g.m = m;
        g.a = a.data();
        g.a_signed = c.a_signed;
        g.lda = c.a_trans ? m : c.k;
        g.a_trans = c.a_trans;
        g.a_zero = za.data();
        g.b_zero = zb.data();
        g.b = &pb;
        QgemmEpilogue& ep = g.epilogue;
        ep.kind = out_signed ? QgemmEpilogue::kInt8 : QgemmEpilogue::kUint8;
        ep.out = out.data();
        ep.out_row = channel_major ? 1 : n;
        ep.out_col = channel_major ? m : 1;
        ep.bias = bias.data();
        ep.scale = scale.data();
        ep.zero_point = zp;
        Qgemm(g, nullptr, GetParam());
        const auto acc = Reference(c, a, b, za, zb);
        for (int64_t i = 0; i < m; ++i) {
          for (int64_t j = 0; j < n; ++j) {
            const float f = static_cast<float>(acc[static_cast<size_t>(i * n + j)] + bias[static_cast<size_t>(j)]) *
                            scale[static_cast<size_t>(j)];
            const long want =
                std::clamp<long>(std::lrint(std::nearbyint(f)) + zp, out_signed ? -128 : 0, out_signed ? 127 : 255);
            const uint8_t got = out[static_cast<size_t>(channel_major ? j * m + i : i * n + j)];
            ASSERT_EQ(out_signed ? static_cast<int8_t>(got) : static_cast<int>(got), want)
                << "m " << m << " n " << n << " variant " << variant << " at " << i << "," << j;
          }
        }
      }
    }
  }
}

// Channel-major requantized output (NCHW convolutions) in whole 16 x 16 blocks, with column groups whose scales are
// all below 1 (narrowed through saturating packs), groups with a scale of 1 or more or a NaN (clamped in float),
// and sums far outside the output range; A transposed with K % 16 != 0 (its last rows padded for the block
// transpose) and K beyond 512 (the AMX kernel keeps its accumulators through the whole of K).
TEST_P(Int8GemmIsaTest, ChannelMajorRequantizeSaturates) {
  std::mt19937 rng(2024);
  for (int64_t k : {27, 147, 600}) {
    for (int variant = 0; variant < 4; ++variant) {
      const bool out_signed = (variant & 1) != 0, a_trans = (variant & 2) != 0;
      const int64_t m = 96, n = 64;
      Case c{m, n, k, variant == 1, true, 1, a_trans};
      const auto a = RandomBytes(rng, m * k), b = RandomBytes(rng, k * n);
      const auto za = ZeroPoints(rng, 1, m, c.a_signed);
      std::vector<int32_t> bias(static_cast<size_t>(n));
      std::vector<float> scale(static_cast<size_t>(n));
      std::uniform_int_distribution<int> bd(-3000000, 3000000);
      std::uniform_real_distribution<float> small(1e-5f, 0.02f);
      for (int64_t j = 0; j < n; ++j) {
        bias[static_cast<size_t>(j)] = bd(rng);
        // Columns 0-15 and 32-47 below 1; 16-31 has 1.0, 3.5 and NaN; 48-63 has 0.5 (ties) and 0.99999994.
        float v = small(rng);
        if (j == 16) v = 1.0f;
        if (j == 17) v = 3.5f;
        if (j == 18) v = std::numeric_limits<float>::quiet_NaN();
        if (j >= 48) v = j % 2 == 0 ? 0.5f : 0.99999994f;
        scale[static_cast<size_t>(j)] = v;
      }
      const int32_t zp = out_signed ? 5 : 250;
      QgemmPackedB pb;
      pb.Pack(b.data(), c.b_signed, k, n, n);
      std::vector<uint8_t> out(static_cast<size_t>(m * n));
      QgemmArgs g;
      g.m = m;
      g.a = a.data();
      g.a_signed = c.a_signed;
      g.lda = a_trans ? m : k;
      g.a_trans = a_trans;
      g.a_zero = za.data();
      g.b = &pb;
      QgemmEpilogue& ep = g.epilogue;
      ep.kind = out_signed ? QgemmEpilogue::kInt8 : QgemmEpilogue::kUint8;
      ep.out = out.data();
      ep.out_row = 1;
      ep.out_col = m;
      ep.bias = bias.data();
      ep.scale = scale.data();
      ep.zero_point = zp;
      ThreadPool pool(2);
      Qgemm(g, &pool, GetParam());
      const auto acc = Reference(c, a, b, za, {});
      const long lo = out_signed ? -128 : 0, hi = out_signed ? 127 : 255;
      for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) {
          const float f = static_cast<float>(acc[static_cast<size_t>(i * n + j)] + bias[static_cast<size_t>(j)]) *
                          scale[static_cast<size_t>(j)];
          // NaN gives the lowest value, as onnxruntime's max(x, lo) does.
          const long want = std::isnan(f) ? lo : std::clamp<long>(std::lrint(std::nearbyint(f)) + zp, lo, hi);
          const uint8_t got = out[static_cast<size_t>(j * m + i)];
          ASSERT_EQ(out_signed ? static_cast<int8_t>(got) : static_cast<int>(got), want)
              << "k " << k << " variant " << variant << " at " << i << "," << j;
        }
      }
    }
  }
}

// The float epilogue (MatMulIntegerToFloat, DynamicQuantizeMatMul, DynamicQuantizeLSTM): float(acc + bias) *
// scale[j] + float_bias[j], with zero points per tensor and per column (the non-separable correction).
TEST_P(Int8GemmIsaTest, FloatEpilogueMatchesReference) {
  std::mt19937 rng(7);
  // K = 128: rows of A already as long as AMX wants, where one or two rows past the last whole tile (50 = 48 + 2) go
  // to the vector kernel, and three (51) to a tile of their own.
  for (int64_t m : {1, 3, 16, 50, 51, 130}) {
    for (int64_t n : {16, 37, 96}) {
      for (int zero_mode : {1, 2}) {
        Case c{m, n, zero_mode == 1 ? 70 : 128, false, true, zero_mode, false};
        const auto a = RandomBytes(rng, m * c.k), b = RandomBytes(rng, c.k * n);
        const auto za = ZeroPoints(rng, 1, m, c.a_signed), zb = ZeroPoints(rng, zero_mode, n, c.b_signed);
        std::vector<float> scale(static_cast<size_t>(n)), fbias(static_cast<size_t>(n));
        std::uniform_real_distribution<float> sd(1e-4f, 3e-3f), bd(-2.0f, 2.0f);
        for (int64_t j = 0; j < n; ++j) {
          scale[static_cast<size_t>(j)] = sd(rng);
          fbias[static_cast<size_t>(j)] = bd(rng);
        }
        QgemmPackedB pb;
        pb.Pack(b.data(), c.b_signed, c.k, n, n);
        std::vector<float> out(static_cast<size_t>(m * n), -1.0f);
        QgemmArgs g;
        g.m = m;
        g.a = a.data();
        g.lda = c.k;
        g.a_zero = za.data();
        g.b_zero = zb.data();
        g.b_zero_per_col = zb.size() > 1;
        g.b = &pb;
        g.epilogue.kind = QgemmEpilogue::kFloat;
        g.epilogue.out = out.data();
        g.epilogue.out_row = n;
        g.epilogue.scale = scale.data();
        g.epilogue.float_bias = fbias.data();
        Qgemm(g, nullptr, GetParam());
        const auto acc = Reference(c, a, b, {za[0]}, zb);
        for (int64_t i = 0; i < m; ++i) {
          for (int64_t j = 0; j < n; ++j) {
            const float want = static_cast<float>(acc[static_cast<size_t>(i * n + j)]) * scale[static_cast<size_t>(j)] +
                               fbias[static_cast<size_t>(j)];
            ASSERT_NEAR(out[static_cast<size_t>(i * n + j)], want, 1e-6f * (1.0f + std::fabs(want)))
                << "m " << m << " n " << n << " zero mode " << zero_mode << " at " << i << "," << j;
          }
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllIsas, Int8GemmIsaTest,
                         ::testing::Values(QgemmIsa::kPortable, QgemmIsa::kAvx2, QgemmIsa::kAvxVnni,
                                           QgemmIsa::kAvx512Vnni, QgemmIsa::kAmx, QgemmIsa::kNeonDot),
                         [](const ::testing::TestParamInfo<QgemmIsa>& info) {
                           return std::string(cpu::quant::QgemmIsaName(info.param));
                         });

TEST(Int8Gemm, FloatRangeWithZeroSkipsNaN) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> d(-3.0f, 5.0f);
  for (int64_t n : {0, 7, 31, 32, 33, 100, 1027}) {
    for (float shift : {0.0f, 10.0f, -10.0f}) {
      std::vector<float> x(static_cast<size_t>(n));
      for (auto& v : x) v = d(rng) + shift;
      if (n > 40) x[static_cast<size_t>(n / 3)] = std::nanf("");
      float want_lo = 0.0f, want_hi = 0.0f;
      for (float v : x) {
        if (v < want_lo) want_lo = v;
        if (v > want_hi) want_hi = v;
      }
      float lo = 1.0f, hi = -1.0f;
      cpu::quant::FloatRangeWithZero(x.data(), n, &lo, &hi);
      EXPECT_EQ(lo, want_lo) << "n " << n << " shift " << shift;
      EXPECT_EQ(hi, want_hi) << "n " << n << " shift " << shift;
    }
  }
}

// QuantizeFloats divides by the scale through its reciprocal and a correction step on AVX-512: the bytes must be
// those of the plain division, for scales whose reciprocal is a normal float and for those where it is not (the
// division then stays), with quotients that round at .5, saturate, overflow, and NaN and infinities.
TEST(Int8GemmQuantize, MatchesTheDivision) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  const float inf = std::numeric_limits<float>::infinity();
  for (float scale : {0.0173f, 1.0f / 3.0f, 0.1f, 2.5f, 1e-30f, 3e-39f, 1e30f, 7.0f}) {
    for (int32_t zero_point : {0, 128, -3}) {
      for (bool out_signed : {false, true}) {
        std::vector<float> x(1000);
        for (size_t i = 0; i < x.size(); ++i) {
          const float u = unit(rng);
          // Quotients spread over the output range, halfway cases (k + 0.5) * scale, and extremes.
          x[i] = i % 3 == 0 ? u * 300.0f * scale : i % 3 == 1 ? (std::round(u * 200.0f) + 0.5f) * scale : u;
        }
        for (float v : {inf, -inf, std::nanf(""), FLT_MAX, -FLT_MAX, 0.0f, -0.0f, FLT_TRUE_MIN}) x.push_back(v);
        for (int64_t n : {int64_t{1}, int64_t{17}, static_cast<int64_t>(x.size())}) {
          std::vector<uint8_t> got(static_cast<size_t>(n));
          cpu::quant::QuantizeFloats(x.data(), n, scale, zero_point, out_signed, got.data());
          const float lo = (out_signed ? -128.0f : 0.0f) - static_cast<float>(zero_point);
          const float hi = (out_signed ? 127.0f : 255.0f) - static_cast<float>(zero_point);
          for (int64_t i = 0; i < n; ++i) {
            const float f = x[static_cast<size_t>(i)] / scale;
            const float c = f > lo ? (f < hi ? f : hi) : lo;
            const auto want = static_cast<uint8_t>(static_cast<int32_t>(std::nearbyint(c)) + zero_point);
            ASSERT_EQ(got[static_cast<size_t>(i)], want)
                << "x " << x[static_cast<size_t>(i)] << " scale " << scale << " zero point " << zero_point;
          }
        }
      }
    }
  }
}

TEST(Int8GemmTranspose, OddSizes) {
  std::mt19937 rng(5);
  // Columns through every path: 64-wide AVX-512 blocks, 32-wide AVX2, 16-wide SSE2 and single bytes; rows past 64
  // (the row bands) and past a multiple of 16 (the byte loop).
  for (int64_t rows : {1, 15, 16, 17, 40, 83}) {
    for (int64_t cols : {1, 16, 31, 48, 64, 77, 100, 211}) {
      const auto src = RandomBytes(rng, rows * cols);
      std::vector<uint8_t> dst(static_cast<size_t>(rows * cols + 3));
      cpu::quant::TransposeBytes(src.data(), cols, rows, cols, dst.data(), rows + 0, 0x80);
      for (int64_t r = 0; r < rows; ++r) {
        for (int64_t c = 0; c < cols; ++c) {
          ASSERT_EQ(dst[static_cast<size_t>(c * rows + r)], src[static_cast<size_t>(r * cols + c)] ^ 0x80);
        }
      }
    }
  }
}

}  // namespace
}  // namespace onyx::test
