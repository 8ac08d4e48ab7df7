// Vectorized exp, sigmoid and tanh for the recurrent-cell ukernels (float_rnn_cell.h), written over a GCC
// vector type V of float (16 bytes in the portable build, 32 in the AVX2 one, 64 in the AVX-512 one) so one source serves every
// build. Kept apart, under this name, so that a later shared vector-math header can replace it.
//
// Accuracy: exp within about 2 ulp over [-86, 88] (Cody-Waite reduction to |r| <= ln2/2, degree-6 Taylor
// polynomial, scale by 2^n through the exponent bits); sigmoid and tanh within a few ulp relative, tanh
// also near 0 (an odd polynomial there, where 1 - e^-2x would cancel).
#pragma once

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <cstdint>
#include <cstring>

// An unnamed namespace: each instruction-set build gets its own copies, so the linker can never pick one
// compiled for AVX-512 where the baseline's was meant.
namespace onyx::cpu::rnn_math {
namespace {

// The int32 vector of V's width: what comparing two V gives (an alias template cannot carry vector_size).
template <typename V>
using IntOf = decltype(V{} < V{});

// f - 0 is f for every f, -0 included, so this folds to a plain broadcast (V{} + f would not: it turns -0
// into +0, and the compiler keeps the addition).
template <typename V>
inline V Splat(float f) {
  return f - V{};
}

template <typename V>
inline V Load(const float* p) {
  V v;
  std::memcpy(&v, p, sizeof(V));
  return v;
}

template <typename V>
inline void Store(float* p, V v) {
  std::memcpy(p, &v, sizeof(V));
}

template <typename V>
inline V Min(V a, V b) {
  return a < b ? a : b;
}

template <typename V>
inline V Max(V a, V b) {
  return a > b ? a : b;
}

template <typename V>
inline V Exp(V x) {
  using VI = IntOf<V>;
  // Past these e^x overflows or flushes; clamping keeps 2^n and the result normal numbers (a subnormal result costs
  // a microcode assist of about a hundred cycles per lane on x86, here and in the 1 + e that follows).
  x = Min(Max(x, Splat<V>(-86.0f)), Splat<V>(88.3f));
  // n = round(x / ln2) with the 1.5 * 2^23 trick: adding it leaves n in the low mantissa bits.
  constexpr float kMagic = 12582912.0f;
  const V t = x * 1.44269504088896341f + kMagic;
  const V n = t - kMagic;
  // r = x - n ln2, ln2 split in two so that n * ln2_hi is exact.
  const V r = x - n * 0.693145751953125f - n * 1.42860682030941723e-6f;
  V p = Splat<V>(1.0f / 720.0f);
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  VI ni;
  std::memcpy(&ni, &t, sizeof(V));
  ni -= 0x4B400000;  // the bits of kMagic
  const VI scale_bits = (ni + 127) << 23;
  V scale;
  std::memcpy(&scale, &scale_bits, sizeof(V));
  return p * scale;
}

// 1 / d for d >= 1 (all the callers need): the processor's reciprocal estimate refined by one Newton step,
// to within about 2 ulp. A vector division costs several times more and would bound the cells' speed.
template <typename V>
inline V Recip(V d) {
#if defined(__AVX512F__)
  if constexpr (sizeof(V) == 64) {
    // The zero-masked form: GCC 12 warns that the unmasked one reads an undefined register.
    const V r = reinterpret_cast<V>(_mm512_maskz_rcp14_ps(0xFFFF, reinterpret_cast<__m512>(d)));
    return r * (2.0f - d * r);
  }
#endif
#if defined(__AVX__)
  if constexpr (sizeof(V) == 32) {
    const V r = reinterpret_cast<V>(_mm256_rcp_ps(reinterpret_cast<__m256>(d)));
    return r * (2.0f - d * r);
  }
#endif
  return 1.0f / d;
}

template <typename V>
inline V Sigmoid(V x) {
  return Recip(1.0f + Exp(-x));
}

template <typename V>
inline V Tanh(V x) {
  using VI = IntOf<V>;
  VI bits;
  std::memcpy(&bits, &x, sizeof(V));
  const VI sign = bits & static_cast<int32_t>(0x80000000u);
  const VI abs_bits = bits & 0x7FFFFFFF;
  V a;
  std::memcpy(&a, &abs_bits, sizeof(V));
  // Large |x|: (1 - e) / (1 + e) with e = exp(-2|x|).
  const V e = Exp(a * -2.0f);
  const V big = (1.0f - e) * Recip(1.0f + e);
  // |x| < 0.4: the odd Taylor series of tanh to x^11 (the next term is below 1e-7 relative there).
  const V x2 = a * a;
  V p = Splat<V>(-1382.0f / 155925.0f);
  p = p * x2 + 62.0f / 2835.0f;
  p = p * x2 + -17.0f / 315.0f;
  p = p * x2 + 2.0f / 15.0f;
  p = p * x2 + -1.0f / 3.0f;
  const V small = a + a * x2 * p;
  const V r = a < 0.4f ? small : big;
  VI rbits;
  std::memcpy(&rbits, &r, sizeof(V));
  rbits |= sign;
  V out;
  std::memcpy(&out, &rbits, sizeof(V));
  return out;
}

}  // namespace
}  // namespace onyx::cpu::rnn_math
