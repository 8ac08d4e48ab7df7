// The integer products of the com.microsoft operators (QGemm, DynamicQuantizeMatMul, MatMulIntegerToFloat,
// DynamicQuantizeLSTM) go through this header alone: zero-point centering of 8-bit operands (B once, at kernel
// creation, when it is a constant), onnxruntime's dynamic quantization of a float operand, and the int32 product
// itself (CenteredProduct), so that a faster integer GEMM can replace the one call.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/quant/int_matmul.h"
#include "ep/cpu/kernels/quant/qlinear_common.h"

namespace onyx::cpu::quant {

// out[t] = a[t] x b[t] for every batch of the plan, operands already centered (int32), exact in int32.
inline void CenteredProduct(const MatMulPlan& p, const int32_t* a, const int32_t* b, int32_t* out, ThreadPool* pool) {
  BatchedProduct<int32_t>(p, a, b, out, pool);
}

// The plan of one plain [m, k] x [k, n] product.
inline MatMulPlan PlainPlan(int64_t m, int64_t k, int64_t n) {
  MatMulPlan p;
  p.m = m;
  p.k = k;
  p.n = n;
  p.out = {m, n};
  p.a_offset = {0};
  p.b_offset = {0};
  return p;
}

// Element i of an 8-bit tensor (uint8 or int8) as int32.
inline int32_t Load8(const Tensor& t, int64_t i) {
  return t.type() == DataType::kInt8 ? t.data<int8_t>()[i] : t.data<uint8_t>()[i];
}

// B as [k, n] int32 minus its zero point; b is [k, n], or [n, k] when `trans`. The zero point is absent, one
// element, or one per column (n).
inline std::vector<int32_t> CenterB2D(const Tensor& b, const Tensor* zp, bool trans) {
  const int64_t rows = b.dim(0), cols = b.dim(1);
  const int64_t k = trans ? cols : rows, n = trans ? rows : cols;
  std::vector<int32_t> out(static_cast<size_t>(k * n));
  const bool per_col = zp != nullptr && zp->size() > 1;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      const int64_t kk = trans ? c : r, nn = trans ? r : c;
      const int32_t z = zp == nullptr ? 0 : Load8(*zp, per_col ? nn : 0);
      out[static_cast<size_t>(kk * n + nn)] = Load8(b, r * cols + c) - z;
    }
  }
  return out;
}

// onnxruntime's dynamic quantization of a float tensor to uint8, per tensor: the range always holds 0, the scale
// spreads it over 255 steps (1 for an all-zero tensor) and the zero point is where 0 lands, rounded half to even.
inline QParams DynamicU8Params(const float* x, int64_t n) {
  float lo = 0.0f, hi = 0.0f;
  for (int64_t i = 0; i < n; ++i) {
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }
  QParams p;
  p.scale = hi == lo ? 1.0f : (hi - lo) / 255.0f;
  const float zp = std::clamp(0.0f - lo / p.scale, 0.0f, 255.0f);
  p.zero_point = static_cast<int32_t>(std::nearbyint(zp));
  return p;
}

// Quantizes x with p (uint8) and centers it: out[i] = q(x[i]) - zero point.
inline void QuantizeCentered(const float* x, int64_t n, QParams p, int32_t* out) {
  for (int64_t i = 0; i < n; ++i)
    out[i] = static_cast<int32_t>(QuantizeOne<uint8_t>(x[i], p.scale, p.zero_point)) - p.zero_point;
}

// A scale tensor of one element or one per column, as a vector of `n` floats (checked by the caller).
inline std::vector<float> PerColumn(const Tensor& s, int64_t n) {
  std::vector<float> out(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) out[static_cast<size_t>(j)] = s.data<float>()[s.size() == 1 ? 0 : j];
  return out;
}

}  // namespace onyx::cpu::quant
