// The vector math of float_vmath.h written once over a vector of W floats (GCC/Clang vector extensions), and
// compiled per instruction set: 16 lanes in float_vmath__avx512.cc, 8 in float_vmath__avx2.cc, 4 (plain C++ that
// any target lowers) in float_vmath.cc. Only those three files include this header.
//
// The approximations are ours: exp by a Cody-Waite reduction to |r| <= ln2/2 and its degree-7 Taylor polynomial,
// scaled by 2^n in two steps so that results in the subnormal range come out right; tanh and erf by polynomials
// fitted (weighted least squares on Chebyshev nodes, in double) near zero and by their exp forms further out.
#pragma once

#include <cstdint>
#include <cstring>
#include <utility>

#include "ep/cpu/isa_built.h"
#include "ep/cpu/ukernels/float_vmath.h"

namespace onyx::cpu::vmath {

// The tables of the three builds (each defined in its own file).
ONYX_AVX512_KERNEL const Table& TableAvx512();
const Table& TableAvx2();
const Table& TablePortable();

namespace impl {

// L names the vector types (V: kLanes floats, I: as many int32) of one build; each build's file defines its own.
template <typename L>
struct Math {
  using V = typename L::V;
  using I = typename L::I;
  static constexpr int W = L::kLanes;

  static V Splat(float f) { return V{} + f; }
  static V Load(const float* p) {
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static void Store(float* p, V v) { std::memcpy(p, &v, sizeof v); }
  // The first n (0 < n < W) floats at p with the other lanes `fill`, and the first n lanes of v stored at p. A
  // build with masked loads and stores brings its own (L::LoadTail, L::StoreTail): lanes written one at a time and
  // read back as a vector wait for the stores to retire (a 17-float softmax row spent most of its time there).
  static V LoadTail(const float* p, int64_t n, float fill) {
    if constexpr (requires { L::LoadTail(p, n, fill); }) {
      return L::LoadTail(p, n, fill);
    } else {
      V v = Splat(fill);
      for (int64_t j = 0; j < n; ++j) v[j] = p[j];
      return v;
    }
  }
  static void StoreTail(float* p, V v, int64_t n) {
    if constexpr (requires { L::StoreTail(p, v, n); }) {
      L::StoreTail(p, v, n);
    } else {
      for (int64_t j = 0; j < n; ++j) p[j] = v[j];
    }
  }
  static V Abs(V x) { return (V)((I)x & 0x7fffffff); }
  // |r| with the sign of s.
  static V CopySign(V r, V s) { return (V)(((I)r & 0x7fffffff) | ((I)s & static_cast<int32_t>(0x80000000u))); }
  static V Min(V a, V b) { return a < b ? a : b; }
  static V Max(V a, V b) { return a > b ? a : b; }
  // v with its lanes rotated by K: lane i holds lane (i + K) % W.
  template <int K, size_t... J>
  static V Rotate(V v, std::index_sequence<J...>) {
    return __builtin_shufflevector(v, v, static_cast<int>((J + K) % W)...);
  }
  template <int K>
  static V Rotate(V v) {
    return Rotate<K>(v, std::make_index_sequence<W>());
  }
  // Horizontal sum and maximum by halving (log2 W steps, where one lane after another is a chain of W - 1
  // dependent operations: short rows are bound by this latency).
  static float Sum(V v) {
    if constexpr (W >= 16) v += Rotate<8>(v);
    if constexpr (W >= 8) v += Rotate<4>(v);
    v += Rotate<2>(v);
    v += Rotate<1>(v);
    return v[0];
  }
  static float HMax(V v) {
    if constexpr (W >= 16) v = Max(v, Rotate<8>(v));
    if constexpr (W >= 8) v = Max(v, Rotate<4>(v));
    v = Max(v, Rotate<2>(v));
    v = Max(v, Rotate<1>(v));
    return v[0];
  }

  // True when some lane of the comparison mask m is set.
  static bool Any(I m) {
    if constexpr (requires { L::Any(m); }) {
      return L::Any(m);
    } else {
      int32_t bits = 0;
      for (int j = 0; j < W; ++j) bits |= m[j];
      return bits != 0;
    }
  }

  // e^x for x in [-104, 89]: the Cody-Waite reduction, the polynomial and the scaling by 2^n in two steps.
  static V ExpCore(V xc) {
    const V magic = Splat(12582912.0f);  // 1.5 * 2^23: adding it rounds to an integer
    const V nf = (xc * 1.44269504088896341f + magic) - magic;
    V r = xc - nf * 0.693145751953125f;  // ln 2 in two parts; the first times any n here is exact
    r = r - nf * 1.42860682030941723212e-6f;
    V p = Splat(1.0f / 5040.0f);
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    const I n = __builtin_convertvector(nf, I);
    const I n1 = n >> 1;
    const I n2 = n - n1;
    const V s1 = (V)((n1 + 127) << 23);
    const V s2 = (V)((n2 + 127) << 23);
    return (p * s1) * s2;
  }

  static V Exp(V x) {
    // Past 89 the result overflows to +Inf through the scaling; below -104 it is below half the least subnormal.
    // A multiply whose result is subnormal or underflows to 0 costs x86 a microcode assist (over 100 cycles, with
    // flush-to-zero off), for every lane from -87 down to -Inf (the Exp operator or sigmoid on masked scores of
    // -10000 or -Inf; softmax flushes before, see ExpNegativeFlushed). So the common case works on x clamped to
    // where e^x is a normal float (above -87), and only a vector with a lane in [-104, -87) computes that range, on
    // the same formula: the bits of every result are those of one computation over x clamped to [-104, 89]. Below
    // -104 the result is 0.
    const V xc = x > 89.0f ? Splat(89.0f) : x < -87.0f ? Splat(-87.0f) : x;
    V y = ExpCore(xc);
    const I low = x < -87.0f;
    if (Any(low)) {
      const I sub = low & (x >= -104.0f);
      if (Any(sub)) y = sub ? ExpCore(sub ? x : Splat(0.0f)) : y;
      y = (low & ~sub) ? Splat(0.0f) : y;
    }
    return x != x ? x : y;
  }

  // exp(x) for x <= 0 where results below exp(-86) may be 0: each lane of a result in the subnormal range costs a
  // microcode assist of about a hundred cycles on x86 (Magika's tanh GELU, whose inputs reach -60, ran 10 times
  // slower than on inputs near zero; a softmax row with -Inf or -10000 masks paid the same). The argument is held at
  // -86, where 2^n and the result are still normal, and lanes past it are set to 0 after.
  static V ExpNegativeFlushed(V x) {
    const V y = Exp(x < -86.0f ? Splat(-86.0f) : x);
    return x < -86.0f ? Splat(0.0f) : y;
  }

  static V Tanh(V x) {
    const V ax = Abs(x);
    // Near 0: x + x^3 Q(x^2); 1 - e^{-2|x|} would lose the low bits there.
    const V x2 = x * x;
    V q = Splat(-6.269286660e-03f);
    q = q * x2 + 2.106693239e-02f;
    q = q * x2 + -5.385061232e-02f;
    q = q * x2 + 1.333255859e-01f;
    q = q * x2 + -3.333331563e-01f;
    const V small = x + (x * x2) * q;
    // Past 9.1, tanh rounds to 1 and so does (1 - e) / (1 + e); holding |x| there keeps e out of the subnormal range
    // (see ExpNegativeFlushed). A NaN passes the comparison unchanged.
    const V e = Exp((ax > 9.1f ? Splat(9.1f) : ax) * -2.0f);
    const V big = CopySign((1.0f - e) / (1.0f + e), x);
    return ax < 0.55f ? small : big;
  }

  static V Sigmoid(V x) {
    // e^{-|x|} never overflows; for x < 0 the result e/(1+e) keeps its relative accuracy down to subnormals.
    // The numerator is picked before dividing: picking between 1/d and e/d computed both, and a vector division
    // is the slowest instruction here.
    // For x >= 0 the argument is held at -86 (1 + e rounds to 1 from there on), which keeps e out of the subnormal
    // range (see ExpNegativeFlushed); for x < 0 a subnormal e is the result itself.
    const V a = -Abs(x);
    const V e = Exp(x >= 0.0f && a < -86.0f ? Splat(-86.0f) : a);
    return (x >= 0.0f ? Splat(1.0f) : e) / (1.0f + e);
  }

  // erfc(a) for a >= 1 (a is clamped to it): e^{-a^2} g(1/a), g fitted to erfc(a) e^{a^2} on [1, 3.95].
  static V ErfcTail(V ax) {
    // Clamped to [1, 3.95] as well: both callers replace the result past 3.95 (and for NaN), and e^{-a^2} then
    // needs none of Exp's range handling (GELU over 51 x 1536 floats: 13% less time).
    const V a = Min(Max(ax, Splat(1.0f)), Splat(3.95f));
    const V t = 1.0f / a;
    V g = Splat(3.126716445e-02f);
    g = g * t + -1.826775334e-01f;
    g = g * t + 4.450992973e-01f;
    g = g * t + -5.459144557e-01f;
    g = g * t + 2.456082037e-01f;
    g = g * t + 2.266094733e-01f;
    g = g * t + -3.746043944e-01f;
    g = g * t + 2.027919705e-02f;
    g = g * t + 5.617969193e-01f;
    g = g * t + 1.197114781e-04f;
    return ExpCore(-(a * a)) * g;
  }

  // erf(x) = x (c0 + x^2 P(x^2)) for |x| <= 1.
  static V ErfNear(V x) {
    const V x2 = x * x;
    V p = Splat(7.898210198e-05f);
    p = p * x2 + -8.024354126e-04f;
    p = p * x2 + 5.190053578e-03f;
    p = p * x2 + -2.685480854e-02f;
    p = p * x2 + 1.128361243e-01f;
    p = p * x2 + -3.761262884e-01f;
    return x * 1.128379167e+00f + (x * x2) * p;
  }

  static V Erf(V x) {
    const V ax = Abs(x);
    // Beyond 3.95 erf rounds to 1.
    const V big = ax >= 3.95f ? Splat(1.0f) : 1.0f - ErfcTail(ax);
    const V y = ax <= 1.0f ? ErfNear(x) : CopySign(big, x);
    return x != x ? x : y;
  }

  // 2 Phi(x) = 1 + erf(z) with z = x / sqrt 2, from one erfc tail t = erfc(|z|): 2 - t above z = 1, t below
  // z = -1 (which keeps its relative accuracy where 1 + erf(z) would cancel; 0 below z = -3.95, where that
  // rounds to 0 anyway).
  static V Gelu(V x) {
    const V z = x * 0.70710678118654752f;
    const V az = Abs(z);
    const V t = az >= 3.95f ? Splat(0.0f) : ErfcTail(az);
    const V far = z > 0.0f ? 2.0f - t : t;
    const V phi2 = az <= 1.0f ? 1.0f + ErfNear(z) : far;
    const V y = phi2 == 0.0f ? CopySign(Splat(0.0f), x) : (0.5f * x) * phi2;  // -Inf * 0 would be NaN
    return x != x ? x : y;
  }

  // (1 + tanh(u)) / 2 is sigmoid(2u), exactly, and sigmoid does not cancel for negative u.
  // Below x = -10 the result is smaller than 1e-36 and taken as -0 (this also makes -Inf give -0, not -Inf * 0);
  // sigmoid's argument is held at -86 so that no lane goes through subnormal numbers (see ExpNegativeFlushed).
  static V GeluTanh(V x) {
    const V u = 0.79788456080286536f * (x + 0.044715f * (x * x * x));
    const V v = u + u;
    const V s = Sigmoid(v < -86.0f ? Splat(-86.0f) : v);
    return x < -10.0f ? CopySign(Splat(0.0f), x) : x * s;
  }

  template <V (*F)(V)>
  static void Apply(const float* x, float* y, int64_t n) {
    int64_t i = 0;
    for (; i + W <= n; i += W) Store(y + i, F(Load(x + i)));
    if (i < n) StoreTail(y + i, F(LoadTail(x + i, n - i, 0.0f)), n - i);
  }

  static void SoftmaxRow(const float* x, float* y, int64_t n) {
    const float neg_inf = -__builtin_huge_valf();
    if (n <= 2 * W) return ShortSoftmaxRow(x, y, n);
    // The tail is padded with -Inf: it does not raise the max and its exp adds 0.
    V mx = Splat(neg_inf);
    int64_t i = 0;
    for (; i + W <= n; i += W) mx = Max(mx, Load(x + i));
    const int64_t rest = n - i;
    const V tail = rest > 0 ? LoadTail(x + i, rest, neg_inf) : Splat(neg_inf);
    mx = Max(mx, tail);
    const float m = HMax(mx);
    // All -Inf (a fully masked row): exp(x - max) would be NaN everywhere; the reference gives NaN too, so keep it.
    const V vm = Splat(m);
    V sum = Splat(0.0f);
    for (i = 0; i + W <= n; i += W) {
      const V e = ExpNegativeFlushed(Load(x + i) - vm);
      Store(y + i, e);
      sum += e;
    }
    V e_tail = Splat(0.0f);
    if (rest > 0) {
      e_tail = ExpNegativeFlushed(tail - vm);  // the -Inf padding gives 0, adding nothing to the sum
      sum += e_tail;
    }
    const float inv_sum = 1.0f / Sum(sum);
    const V inv = Splat(inv_sum);
    for (i = 0; i + W <= n; i += W) Store(y + i, Load(y + i) * inv);
    if (rest > 0) StoreTail(y + i, e_tail * inv, rest);
  }

  // A row of at most two vectors (attention over a short sequence: rows of 17 keys): held in registers from the
  // load to the one store. Rows this short are bound by the latency of the chain (max, exp, sum, scale), which a
  // store and reload of the exponentials in the middle only lengthens.
  static void ShortSoftmaxRow(const float* x, float* y, int64_t n) {
    const float neg_inf = -__builtin_huge_valf();
    const int64_t n0 = n < W ? n : W, n1 = n - n0;
    const V a = n0 == W ? Load(x) : LoadTail(x, n0, neg_inf);
    const V b = n1 == W ? Load(x + W) : n1 > 0 ? LoadTail(x + W, n1, neg_inf) : Splat(neg_inf);
    const V vm = Splat(HMax(Max(a, b)));
    const V ea = ExpNegativeFlushed(a - vm), eb = ExpNegativeFlushed(b - vm);  // the -Inf padding gives 0
    const V inv = Splat(1.0f / Sum(ea + eb));
    if (n0 == W) {
      Store(y, ea * inv);
    } else {
      StoreTail(y, ea * inv, n0);
    }
    if (n1 == W) {
      Store(y + W, eb * inv);
    } else if (n1 > 0) {
      StoreTail(y + W, eb * inv, n1);
    }
  }

  // Two passes for the statistics (the mean, then the squared deviations from it), summed in W float lanes.
  static void LayerNormRow(const float* x, const float* scale, const float* bias, float* y, int64_t n, float epsilon,
                           float* mean_out, float* inv_std_out) {
    V acc = Splat(0.0f);
    int64_t i = 0;
    for (; i + W <= n; i += W) acc += Load(x + i);
    float sum = Sum(acc);
    for (; i < n; ++i) sum += x[i];
    const float mean = n > 0 ? sum / static_cast<float>(n) : 0.0f;
    const V vm = Splat(mean);
    acc = Splat(0.0f);
    for (i = 0; i + W <= n; i += W) {
      const V d = Load(x + i) - vm;
      acc += d * d;
    }
    float sq = Sum(acc);
    for (; i < n; ++i) sq += (x[i] - mean) * (x[i] - mean);
    const double var = n > 0 ? static_cast<double>(sq) / static_cast<double>(n) : 0.0;
    const float inv_std = static_cast<float>(1.0 / __builtin_sqrt(var + static_cast<double>(epsilon)));
    const V vi = Splat(inv_std);
    for (i = 0; i + W <= n; i += W) {
      V r = (Load(x + i) - vm) * vi * Load(scale + i);
      if (bias != nullptr) r += Load(bias + i);
      Store(y + i, r);
    }
    for (; i < n; ++i) y[i] = (x[i] - mean) * inv_std * scale[i] + (bias != nullptr ? bias[i] : 0.0f);
    if (mean_out != nullptr) *mean_out = mean;
    if (inv_std_out != nullptr) *inv_std_out = inv_std;
  }

  static Table MakeTable(const char* isa) {
    return Table{isa,           &Apply<&Exp>,      &Apply<&Tanh>, &Apply<&Sigmoid>, &Apply<&Erf>,
                 &Apply<&Gelu>, &Apply<&GeluTanh>, &SoftmaxRow,   &LayerNormRow};
  }
};

}  // namespace impl
}  // namespace onyx::cpu::vmath
