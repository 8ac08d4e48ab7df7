// com.onyx:Gelu (written by the FuseGelu pass, see docs/FUSED_OPERATORS.md): y = x * Phi(x) in float, with the
// exact form (approximate="none") or the tanh approximation ("tanh").
//
// std::erf and std::tanh are library calls, and without -fno-trapping-math GCC will not turn the selects a
// branch-free erf needs into blends, so the loop is written with GCC/Clang vector extensions, 8 floats at a
// time, on our own polynomial fits (checked against mpmath) and an exp built from 2^n * p(r):
//   exact: Phi(x) = 0.5 + 0.5 * erf(z) for |z| < 0.75 (z = x / sqrt 2), erf(z) = z * P(z^2);
//          otherwise from erfc(|z|) = exp(-z^2) * Rp(|z|) / Rq(|z|), which keeps the far negative tail
//          accurate (1 + erf(z) would cancel there).
//   tanh:  0.5 * x * (1 + tanh(u)) = x / (1 + exp(-2u)), u = sqrt(2/pi) * (x + 0.044715 x^3).
// Largest error over [-12, 12]: 3.7e-7 absolute, 1.3e-5 relative (in the tail, where Phi < 1e-30).
#include <cstdint>
#include <cstring>
#include <string>

#include "ep/cpu/kernels/fused/fused_math.h"
#include "common/thread_pool.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

// Passing 32-byte vectors between inlined helpers only draws a note about an ABI change of GCC 4.6.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace onyx::cpu::fused {

namespace {

using V8 = float __attribute__((vector_size(32)));
using I8 = int32_t __attribute__((vector_size(32)));

inline V8 Splat(float v) { return V8{} + v; }
inline V8 Select(I8 mask, V8 a, V8 b) { return mask ? a : b; }
inline V8 Min(V8 a, V8 b) { return Select(a < b, a, b); }
inline V8 Max(V8 a, V8 b) { return Select(a > b, a, b); }
inline V8 Abs(V8 a) { return reinterpret_cast<V8>(reinterpret_cast<I8>(a) & 0x7fffffff); }

// Horner's rule with the highest coefficient first.
template <size_t N>
inline V8 Poly(V8 x, const float (&c)[N]) {
  V8 r = Splat(c[0]);
  for (size_t i = 1; i < N; ++i) r = r * x + c[i];
  return r;
}

// exp(x): x = n ln2 + r with |r| <= ln2/2, exp(r) by its Taylor series to r^7 (truncation below 2e-8
// relative), 2^n built in the exponent bits. Below -88 the result is 0 (n = -127 gives a zero scale).
inline V8 Exp(V8 x) {
  x = Min(Max(x, Splat(-88.0f)), Splat(88.0f));
  constexpr float kLog2e = 1.44269504088896341f, kLn2Hi = 0.693145751953125f, kLn2Lo = 1.42860682030941723e-6f;
  constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: adding and subtracting it rounds to an integer
  const V8 n = (x * kLog2e + kRound) - kRound;
  const V8 r = (x - n * kLn2Hi) - n * kLn2Lo;
  static constexpr float kTaylor[] = {1.0f / 5040, 1.0f / 720, 1.0f / 120, 1.0f / 24, 1.0f / 6, 0.5f, 1.0f, 1.0f};
  const I8 bits = (__builtin_convertvector(n, I8) + 127) << 23;
  return Poly(r, kTaylor) * reinterpret_cast<V8>(bits);
}

// Phi(x), the standard normal CDF.
inline V8 Phi(V8 x) {
  const V8 z = x * 0.70710678118654752f;
  const V8 az = Abs(z);
  const V8 s = z * z;
  // erf(z) / z on |z| < 0.75, least-squares fit in z^2 (relative error 8e-11).
  static constexpr float kP[] = {9.542630868963897e-05f, -0.0008368285489268601f, 0.005217454861849546f,
                                 -0.026864949613809586f, 0.11283780634403229f,    -0.37612637877464294f,
                                 1.128379225730896f};
  const V8 near = 0.5f + 0.5f * (z * Poly(s, kP));
  // erfc(t) * exp(t^2) on [0.75, 10], rational fit of degree 4/5 in t (relative error 1.3e-9).
  static constexpr float kRp[] = {0.051213912665843964f, 0.3003636300563812f, 0.868830680847168f, 1.355741262435913f,
                                  1.0000487565994263f};
  static constexpr float kRq[] = {0.09077412635087967f, 0.5323882699012756f, 1.5852010250091553f,
                                  2.6708736419677734f,  2.484503984451294f,  1.0f};
  const V8 t = Min(az, Splat(10.0f));
  const V8 half_erfc = 0.5f * Exp(-s) * (Poly(t, kRp) / Poly(t, kRq));
  const V8 far = Select(z < 0.0f, half_erfc, 1.0f - half_erfc);
  return Select(az < 0.75f, near, far);
}

inline V8 Gelu(V8 x, bool tanh_form) {
  if (tanh_form) {
    const V8 u = 0.79788456080286536f * (x + 0.044715f * x * x * x);
    return x / (1.0f + Exp(-2.0f * u));
  }
  return x * Phi(x);
}

}  // namespace

// Also used by com.onyx:BiasGelu (bias_gelu.cc). x and y may be the same buffer.
void GeluSpan(const float* x, float* y, int64_t n, bool tanh_form) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    V8 v;
    std::memcpy(&v, x + i, sizeof v);
    v = Gelu(v, tanh_form);
    std::memcpy(y + i, &v, sizeof v);
  }
  if (i < n) {
    V8 v = Splat(0.0f);
    const size_t rest = static_cast<size_t>(n - i) * sizeof(float);
    std::memcpy(&v, x + i, rest);
    v = Gelu(v, tanh_form);
    std::memcpy(y + i, &v, rest);
  }
}

// Reads the `approximate` attribute shared by Gelu and BiasGelu.
Status ReadGeluApproximate(const KernelInfo& info, bool* tanh_form) {
  std::string approximate;
  ONYX_RETURN_IF_ERROR(info.GetString("approximate", &approximate, std::string("none")));
  if (approximate != "none" && approximate != "tanh") {
    return info.Error("attribute approximate must be \"none\" or \"tanh\", got \"", approximate, "\"");
  }
  *tanh_form = approximate == "tanh";
  return Status::Ok();
}

namespace {

class GeluKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return ReadGeluApproximate(info, &tanh_); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input X is required");
    if (x->type() != DataType::kFloat) return ctx.Error("X must be float, got ", x->Describe());
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kFloat, x->shape()));
    const float* xp = x->data<float>();
    float* yp = y->data<float>();
    ThreadPool::For(
        ctx.thread_pool(), x->size(),
        [&](int64_t begin, int64_t end) { GeluSpan(xp + begin, yp + begin, end - begin, tanh_); }, 1 << 13);
    return Status::Ok();
  }

 private:
  bool tanh_ = false;
};

}  // namespace

ONYX_REGISTER_KERNEL(GeluKernel, KernelDef("CPU", "com.onyx", "Gelu").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "Gelu", ir::InferSameAsInput);

}  // namespace onyx::cpu::fused
