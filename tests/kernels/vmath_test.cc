// The vector math (ep/cpu/ukernels/float_vmath.h) of every build this processor runs, against the std::
// functions in double: a sweep of float bit patterns (every 997th, both signs, subnormals to Inf), the extremes
// and NaN, with the bounds the header states.
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <functional>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "ep/cpu/ukernels/float_vmath.h"

namespace onyx::cpu::vmath {
namespace {

std::vector<float> Sweep() {
  std::vector<float> xs;
  for (uint64_t b = 0; b < (uint64_t{1} << 32); b += 997) {
    const auto u = static_cast<uint32_t>(b);
    float f;
    std::memcpy(&f, &u, sizeof f);
    xs.push_back(f);
  }
  const float inf = std::numeric_limits<float>::infinity();
  for (float f :
       {0.0f,   -0.0f,   FLT_MIN, -FLT_MIN, FLT_MAX, -FLT_MAX, FLT_TRUE_MIN, inf,   -inf,   88.72f,       89.0f,
        -87.3f, -103.9f, -104.5f, 0.55f,    -0.55f,  1.0f,     -1.0f,        3.95f, -3.95f, std::nanf("")}) {
    xs.push_back(f);
  }
  return xs;
}

// Error of `got` in units of the last place of the exact result `want` rounded to float (the least subnormal
// below FLT_MIN); 0 when both are the same NaN or infinity.
double UlpError(float got, double want) {
  if (std::isnan(want)) return std::isnan(got) ? 0.0 : 1e30;
  const float w = static_cast<float>(want);  // past FLT_MAX (and half an ulp) that is the infinity
  if (std::isinf(w) || std::isinf(got)) return got == w ? 0.0 : 1e30;
  double ulp = std::ldexp(1.0, -149);
  if (std::fabs(w) >= FLT_MIN) {
    const float a = std::fabs(w);
    ulp = std::isinf(std::nextafter(a, INFINITY)) ? std::ldexp(1.0, 104) : std::nextafter(a, INFINITY) - a;
  }
  return std::fabs(static_cast<double>(got) - want) / ulp;
}

struct Function {
  const char* name;
  void (*Table::*fn)(const float*, float*, int64_t);
  std::function<double(double)> exact;
  double max_ulp;
  double abs_floor;  // an absolute error this small passes whatever the ulps
  // The portable build on x86-64 is compiled for the baseline, without FMA: its polynomials round each product, and
  // erf loses up to about 3 ulp, GELU near -1.4 (where 1 + erf cancels) up to about 15.
  double max_ulp_without_fma = 0;  // 0: max_ulp
};

bool WithoutFma(const Table& table) {
#if defined(__x86_64__)
  return std::string(table.isa) == "portable";
#else
  return false;
#endif
}

void Check(const Table& table, const Function& f, const std::vector<float>& xs) {
  std::vector<float> y(xs.size());
  (table.*(f.fn))(xs.data(), y.data(), static_cast<int64_t>(xs.size()));
  double worst = 0;
  float worst_x = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const double want = f.exact(xs[i]);
    if (!std::isnan(want) && !std::isinf(want) && std::fabs(y[i] - want) <= f.abs_floor) continue;
    const double e = UlpError(y[i], want);
    if (e > worst) {
      worst = e;
      worst_x = xs[i];
    }
  }
  const double bound = WithoutFma(table) && f.max_ulp_without_fma > 0 ? f.max_ulp_without_fma : f.max_ulp;
  EXPECT_LE(worst, bound) << table.isa << " " << f.name << " at x = " << worst_x;
}

TEST(VMath, EveryBuildWithinItsBound) {
  const std::vector<float> xs = Sweep();
  const Function functions[] = {
      {"exp", &Table::exp, [](double x) { return std::exp(x); }, 2.0, 0.0},
      {"tanh", &Table::tanh, [](double x) { return std::tanh(x); }, 2.0, 0.0},
      {"sigmoid", &Table::sigmoid, [](double x) { return 1.0 / (1.0 + std::exp(-x)); }, 2.5, 0.0},
      {"erf", &Table::erf, [](double x) { return std::erf(x); }, 2.0, 0.0, 3.0},
      {"gelu", &Table::gelu,
       [](double x) { return std::isinf(x) ? std::max(x, 0.0) : 0.5 * x * std::erfc(-x * 0.70710678118654752); }, 2.0,
       1e-7, 16.0},
      {"gelu_tanh", &Table::gelu_tanh,
       [](double x) {
         return std::isinf(x) ? std::max(x, 0.0)
                              : x / (1.0 + std::exp(-1.5957691216057307 * (x + 0.044715 * x * x * x)));
       },
       2.0, 1e-7},
  };
  const Table* tables[3];
  const int n = AvailableTables(tables);
  ASSERT_GE(n, 1);
  EXPECT_STREQ(tables[n - 1]->isa, "portable");
  for (int t = 0; t < n; ++t) {
    for (const Function& f : functions) Check(*tables[t], f, xs);
  }
}

TEST(VMath, LimitsAndNaN) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> xs = {inf, -inf, std::nanf(""), 0.0f, -0.0f};
  std::vector<float> y(xs.size());
  const Table* tables[3];
  const int n = AvailableTables(tables);
  for (int t = 0; t < n; ++t) {
    const Table& tb = *tables[t];
    tb.exp(xs.data(), y.data(), 5);
    EXPECT_EQ(y[0], inf);
    EXPECT_EQ(y[1], 0.0f);
    EXPECT_TRUE(std::isnan(y[2]));
    EXPECT_EQ(y[3], 1.0f);
    tb.tanh(xs.data(), y.data(), 5);
    EXPECT_EQ(y[0], 1.0f);
    EXPECT_EQ(y[1], -1.0f);
    EXPECT_TRUE(std::isnan(y[2]));
    EXPECT_EQ(y[3], 0.0f);
    tb.sigmoid(xs.data(), y.data(), 5);
    EXPECT_EQ(y[0], 1.0f);
    EXPECT_EQ(y[1], 0.0f);
    EXPECT_TRUE(std::isnan(y[2]));
    EXPECT_EQ(y[3], 0.5f);
    tb.erf(xs.data(), y.data(), 5);
    EXPECT_EQ(y[0], 1.0f);
    EXPECT_EQ(y[1], -1.0f);
    EXPECT_TRUE(std::isnan(y[2]));
    EXPECT_EQ(y[3], 0.0f);
    tb.gelu(xs.data(), y.data(), 5);
    EXPECT_EQ(y[0], inf);
    EXPECT_EQ(y[1], 0.0f);
    EXPECT_TRUE(std::isnan(y[2]));
    tb.gelu_tanh(xs.data(), y.data(), 5);
    EXPECT_EQ(y[0], inf);
    EXPECT_TRUE(std::isnan(y[2]));
  }
}

// Results in the subnormal range cost a microcode assist per lane (Magika's tanh GELU on inputs down to -60 ran ten
// times slower than near zero): GELU (tanh form) gives -0 below -10, softmax gives 0 for keys more than 86 below the
// row's maximum, and sigmoid's intermediate for large positive x stays normal; all within the functions' bounds.
TEST(VMath, NoSubnormalResultsWhereTheyAreNegligible) {
  const Table* tables[3];
  const int n = AvailableTables(tables);
  std::vector<float> xs;
  for (float x = -60.0f; x < -10.0f; x += 0.37f) xs.push_back(x);
  std::vector<float> y(xs.size());
  for (int t = 0; t < n; ++t) {
    tables[t]->gelu_tanh(xs.data(), y.data(), static_cast<int64_t>(xs.size()));
    for (size_t i = 0; i < xs.size(); ++i) {
      EXPECT_EQ(y[i], 0.0f) << tables[t]->isa << " gelu_tanh(" << xs[i] << ")";
      EXPECT_TRUE(std::signbit(y[i])) << tables[t]->isa << " gelu_tanh(" << xs[i] << ")";
    }
    std::vector<float> row = {0.0f, -10000.0f, -87.5f, -100.0f, 1.0f, -3.4e38f, -90.0f, 2.0f};
    std::vector<float> sm(row.size());
    tables[t]->softmax_row(row.data(), sm.data(), static_cast<int64_t>(row.size()));
    for (size_t i = 0; i < row.size(); ++i) {
      EXPECT_FALSE(std::fpclassify(sm[i]) == FP_SUBNORMAL) << tables[t]->isa << " softmax lane " << i;
    }
    EXPECT_EQ(sm[1], 0.0f) << tables[t]->isa;
    const float big[] = {87.0f, 100.0f, 1e30f};
    float s[3];
    tables[t]->sigmoid(big, s, 3);
    for (float v : s) EXPECT_EQ(v, 1.0f) << tables[t]->isa;
  }
}

// exp takes results below the normal floats (x < -87) off its main path, so a vector whose lanes straddle the
// ranges must give each lane what that value gives alone: normal, subnormal (-104 <= x < -87), 0 below, -Inf, NaN.
TEST(VMath, ExpOfMixedRangesMatchesEachLaneAlone) {
  const float inf = std::numeric_limits<float>::infinity();
  const float values[] = {-1.5f, -86.9f, -87.2f, -95.0f, -103.99f, -104.2f, -1e4f, -inf, std::nanf(""), 3.0f, 88.0f};
  const Table* tables[3];
  const int n = AvailableTables(tables);
  for (int t = 0; t < n; ++t) {
    const Table& tb = *tables[t];
    // Every value at every lane of a 16-float vector (and of the narrower builds' vectors), among the others.
    for (size_t shift = 0; shift < std::size(values); ++shift) {
      std::vector<float> x(32), y(32);
      for (size_t i = 0; i < x.size(); ++i) x[i] = values[(i + shift) % std::size(values)];
      tb.exp(x.data(), y.data(), static_cast<int64_t>(x.size()));
      for (size_t i = 0; i < x.size(); ++i) {
        float alone;
        tb.exp(&x[i], &alone, 1);
        if (std::isnan(x[i])) {
          EXPECT_TRUE(std::isnan(y[i])) << tb.isa;
          continue;
        }
        EXPECT_EQ(y[i], alone) << tb.isa << " x = " << x[i];
        if (x[i] < -104.0f) {
          EXPECT_EQ(y[i], 0.0f) << tb.isa << " x = " << x[i];
        }
        if (x[i] > -100.0f && x[i] < -88.0f) {
          EXPECT_GT(y[i], 0.0f) << tb.isa << " x = " << x[i];
          EXPECT_LT(y[i], FLT_MIN) << tb.isa << " x = " << x[i];
        }
      }
    }
  }
}

TEST(VMath, SoftmaxRowMatchesTheReferenceForEveryLength) {
  const Table* tables[3];
  const int n = AvailableTables(tables);
  for (int t = 0; t < n; ++t) {
    for (int64_t len = 1; len <= 40; ++len) {
      std::vector<float> x(static_cast<size_t>(len)), y(x.size());
      for (int64_t i = 0; i < len; ++i) x[static_cast<size_t>(i)] = static_cast<float>((i * 37) % 11) * 0.9f - 4.0f;
      if (len > 3) x[2] = -std::numeric_limits<float>::infinity();  // a masked key
      tables[t]->softmax_row(x.data(), y.data(), len);
      double mx = -INFINITY, sum = 0;
      for (float v : x) mx = std::max<double>(mx, v);
      for (float v : x) sum += std::exp(v - mx);
      for (int64_t i = 0; i < len; ++i) {
        const double want = std::exp(x[static_cast<size_t>(i)] - mx) / sum;
        EXPECT_NEAR(y[static_cast<size_t>(i)], want, 1e-7 + 4e-7 * want) << tables[t]->isa << " length " << len;
      }
      // In place gives the same.
      std::vector<float> z = x;
      tables[t]->softmax_row(z.data(), z.data(), len);
      EXPECT_EQ(z, y);
    }
  }
}

// The partial last vector (masked loads and stores where the build has them): every length up to 40 gives what the
// same values give inside a longer call, and nothing past the end is written.
TEST(VMath, TailsMatchWholeVectorsAndStayInBounds) {
  const Table* tables[3];
  const int n = AvailableTables(tables);
  const float kSentinel = 777.0f;
  for (int t = 0; t < n; ++t) {
    for (auto fn : {&Table::exp, &Table::tanh, &Table::sigmoid, &Table::gelu_tanh}) {
      std::vector<float> x(64), whole(64);
      for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 29) % 17) * 0.5f - 4.0f;
      (tables[t]->*fn)(x.data(), whole.data(), 64);
      for (int64_t len = 1; len <= 40; ++len) {
        std::vector<float> y(static_cast<size_t>(len) + 20, kSentinel);
        (tables[t]->*fn)(x.data(), y.data(), len);
        for (int64_t i = 0; i < len; ++i) {
          EXPECT_EQ(y[static_cast<size_t>(i)], whole[static_cast<size_t>(i)]) << tables[t]->isa << " length " << len;
        }
        for (size_t i = static_cast<size_t>(len); i < y.size(); ++i) {
          EXPECT_EQ(y[i], kSentinel) << tables[t]->isa << " wrote past length " << len;
        }
      }
    }
  }
}

}  // namespace
}  // namespace onyx::cpu::vmath
