// Shared by onnxruntime's com.microsoft QLinear* operators (QLinearAdd, QLinearSigmoid, QLinearConcat, ...):
// reading a per-tensor (scale, zero point) pair, quantizing a float span the way onnxruntime does
// (round(x / scale) half to even, plus the zero point, saturated), and 256-entry lookup tables that turn an
// 8-bit input straight into an 8-bit output for the unary operators and for requantization.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "common/status.h"
#include "ep/cpu/cpu_isa.h"
#include "framework/op_kernel.h"
#include "framework/tensor.h"
#include "ir/shape_inference.h"

namespace onyx::cpu::quant {

// The com.microsoft domain name, where onnxruntime's contrib operators live.
inline constexpr const char* kMsDomain = "com.microsoft";

inline bool Is8Bit(DataType t) { return t == DataType::kUint8 || t == DataType::kInt8; }

// One per-tensor quantization: real = (q - zero_point) * scale.
struct QParams {
  float scale = 1.0f;
  int32_t zero_point = 0;
  bool operator==(const QParams&) const = default;
};

// Reads the scale (input `scale_index`, one float) and the zero point (input `zp_index`, optional, one element of
// type `type`) of a per-tensor quantization.
inline Status ReadQParams(const KernelContext& ctx, size_t scale_index, size_t zp_index, DataType type,
                          const char* what, QParams* out) {
  const Tensor* s = ctx.input(scale_index);
  const Tensor* z = ctx.input(zp_index);
  if (s == nullptr) return ctx.Error("the scale of ", what, " is required");
  if (s->type() != DataType::kFloat || s->size() != 1) {
    return ctx.Error("the scale of ", what, " must be one float, got ", s->Describe());
  }
  out->scale = s->data<float>()[0];
  if (!(out->scale > 0.0f) || !std::isfinite(out->scale)) {
    return ctx.Error("the scale of ", what, " must be positive and finite, got ", out->scale);
  }
  out->zero_point = 0;
  if (z != nullptr) {
    if (z->type() != type || z->size() != 1) {
      return ctx.Error("the zero point of ", what, " must be one ", DataTypeName(type), ", got ", z->Describe());
    }
    out->zero_point = type == DataType::kInt8 ? z->data<int8_t>()[0] : z->data<uint8_t>()[0];
  }
  return Status::Ok();
}

template <typename T>
inline constexpr float kQMin = static_cast<float>(std::numeric_limits<T>::min());
template <typename T>
inline constexpr float kQMax = static_cast<float>(std::numeric_limits<T>::max());

// round(v / scale) + zero point, saturated: onnxruntime's QuantizeLinear for 8-bit outputs.
template <typename T>
inline T QuantizeOne(float v, float scale, int32_t zp) {
  const float q = std::nearbyint(v / scale) + static_cast<float>(zp);
  return static_cast<T>(std::clamp(q, kQMin<T>, kQMax<T>));
}

// Rounds an already scaled value and adds the zero point, saturated (the requantization step of the int32
// accumulating operators, where the multiplier is folded in beforehand).
template <typename T>
inline T RoundToQ(float scaled, int32_t zp) {
  const float q = std::nearbyint(scaled) + static_cast<float>(zp);
  return static_cast<T>(std::clamp(q, kQMin<T>, kQMax<T>));
}

template <typename T>
inline void QuantizeSpan(const float* in, T* out, int64_t n, QParams p) {
  for (int64_t i = 0; i < n; ++i) out[i] = QuantizeOne<T>(in[i], p.scale, p.zero_point);
}

// A table from every 8-bit input (indexed by its byte) to the 8-bit output of fn(dequantized input), quantized
// with `y`. Built once per kernel when the quantization parameters are constant.
using Lut = std::array<uint8_t, 256>;

template <typename T, typename F>
Lut BuildLut(QParams x, QParams y, const F& fn) {
  Lut lut{};
  for (int v = std::numeric_limits<T>::min(); v <= std::numeric_limits<T>::max(); ++v) {
    const float real = static_cast<float>(v - x.zero_point) * x.scale;
    const T q = QuantizeOne<T>(fn(real), y.scale, y.zero_point);
    std::memcpy(&lut[static_cast<uint8_t>(static_cast<T>(v))], &q, 1);
  }
  return lut;
}

// The table that requantizes from `x` to `y` (the identity when they are equal).
template <typename T>
Lut RequantizeLut(QParams x, QParams y) {
  return BuildLut<T>(x, y, [](float v) { return v; });
}

#if defined(__x86_64__) && defined(__GNUC__)
// The table lookup 64 bytes at a time with AVX-512 VBMI: vpermi2b looks each byte's low 7 bits up in a 128-byte
// half of the table, and the byte's top bit picks the half; the last partial block is masked. In-place use
// (in == out) is fine: each block is read before it is written.
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) inline void ApplyLutVbmi(const uint8_t* lut, const uint8_t* src,
                                                                                uint8_t* dst, int64_t n) {
  const __m512i t0 = _mm512_loadu_si512(lut), t1 = _mm512_loadu_si512(lut + 64);
  const __m512i t2 = _mm512_loadu_si512(lut + 128), t3 = _mm512_loadu_si512(lut + 192);
  int64_t i = 0;
  for (;; i += 64) {
    const int64_t left = n - i;
    if (left <= 0) break;
    const __mmask64 m = left >= 64 ? ~__mmask64{0} : (__mmask64{1} << left) - 1;
    const __m512i x = _mm512_maskz_loadu_epi8(m, src + i);
    const __m512i low = _mm512_permutex2var_epi8(t0, x, t1), high = _mm512_permutex2var_epi8(t2, x, t3);
    _mm512_mask_storeu_epi8(dst + i, m, _mm512_mask_blend_epi8(_mm512_movepi8_mask(x), low, high));
  }
}

#endif

// out[i] = lut[in[i]] for n bytes (vectorized where the processor has AVX-512 VBMI).
inline void ApplyLut(const Lut& lut, const void* in, void* out, int64_t n) {
  const auto* src = static_cast<const uint8_t*>(in);
  auto* dst = static_cast<uint8_t*>(out);
#if defined(__x86_64__) && defined(__GNUC__)
  if (n >= 16 && HasAvx512Vbmi()) {
    ApplyLutVbmi(lut.data(), src, dst, n);
    return;
  }
#endif
  for (int64_t i = 0; i < n; ++i) dst[i] = lut[src[i]];
}

// The scale and zero point of a constant per-tensor pair, for kernels that prepare tables at creation; false
// when either input is not a constant of the expected form (the kernel then reads them at run time).
inline bool ConstantQParams(const KernelInfo& info, size_t scale_index, size_t zp_index, DataType* type, QParams* out) {
  const Tensor* s = info.constant_input(scale_index);
  if (s == nullptr || s->type() != DataType::kFloat || s->size() != 1) return false;
  out->scale = s->data<float>()[0];
  if (!(out->scale > 0.0f) || !std::isfinite(out->scale)) return false;
  out->zero_point = 0;
  if (!info.has_input(zp_index)) return *type != DataType::kUndefined;
  const Tensor* z = info.constant_input(zp_index);
  if (z == nullptr || z->size() != 1 || !Is8Bit(z->type())) return false;
  if (*type != DataType::kUndefined && *type != z->type()) return false;
  *type = z->type();
  out->zero_point = z->type() == DataType::kInt8 ? z->data<int8_t>()[0] : z->data<uint8_t>()[0];
  return true;
}

// Shape inference of the unary QLinear operators: output 0 has input 0's type and shape.
inline Status InferQUnary(ir::InferenceContext& ctx) { return ir::InferSameAsInput(ctx); }

}  // namespace onyx::cpu::quant
