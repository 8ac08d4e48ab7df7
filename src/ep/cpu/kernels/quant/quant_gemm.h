// Helpers of the com.microsoft operators' integer products: onnxruntime's dynamic quantization parameters of a
// float operand (DynamicQuantizeMatMul, DynamicQuantizeLSTM, which call Qgemm with a float epilogue themselves), and
// for QGemm zero-point centering of 8-bit operands (B once, at kernel creation, when it is a constant) and the int32
// products of centered operands (CenteredProduct, PreparedProduct).
//
// The products go through the 8-bit GEMM (Qgemm, VNNI/AMX): a centered operand (8-bit values minus one zero point)
// is shifted back to bytes, its minimum becoming the zero point. A constant B is packed once at kernel creation
// when its centered values fit int8 (symmetric weights); B given at run time is packed per call. What cannot be
// shifted (per-column zero points spanning more than 255) keeps the older paths: a constant B takes the float GEMM
// when that is provably exact (centered 8-bit values are integers of magnitude <= 255, so when
// k * 255 * max|B| < 2^24 every partial sum, in whatever order the GEMM adds, is an integer float represents
// exactly), else the int32 product. Every path gives the exact int32 product.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/nn/gemm_util.h"
#include "ep/cpu/kernels/quant/int8_gemm.h"
#include "ep/cpu/kernels/quant/int_matmul.h"
#include "ep/cpu/kernels/quant/qlinear_common.h"
#include "ep/cpu/ukernels/int16_gemv.h"

namespace onyx::cpu::quant {

// Centered 8-bit values (an 8-bit operand minus one zero point) span at most 255, so shifted by their minimum
// they are bytes again, with the shift for zero point: what the 8-bit GEMM (Qgemm) takes. False when the span is
// wider (per-column zero points), for the int32 product instead.
inline bool ShiftToBytes(const int32_t* v, int64_t count, uint8_t* bytes, int32_t* zero) {
  int32_t lo = count > 0 ? v[0] : 0, hi = lo;
  for (int64_t i = 0; i < count; ++i) {  // branch-free min/max, which vectorizes (minmax_element does not)
    lo = std::min(lo, v[i]);
    hi = std::max(hi, v[i]);
  }
  if (hi - lo > 255) return false;
  for (int64_t i = 0; i < count; ++i) bytes[i] = static_cast<uint8_t>(v[i] - lo);
  *zero = -lo;
  return true;
}

// out[m, n] = a[m, k] x packed B (zero point b_zero), a already bytes with zero point a_zero: exact int32.
inline void QgemmInt32(const uint8_t* a, int32_t a_zero, int64_t m, const QgemmPackedB& b, int32_t b_zero, int32_t* out,
                       ThreadPool* pool) {
  QgemmArgs args;
  args.m = m;
  args.a = a;
  args.a_signed = false;
  args.lda = b.k;
  args.a_zero = &a_zero;
  args.b_zero = &b_zero;
  args.b = &b;
  args.epilogue.kind = QgemmEpilogue::kInt32;
  args.epilogue.out = out;
  args.epilogue.out_row = b.n;
  Qgemm(args, pool);
}

// out[t] = a[t] x b[t] for every batch of the plan, operands already centered (int32), exact in int32: through
// Qgemm (B packed per batch, once per distinct B matrix) when both spans allow, else the plain int32 product.
inline void CenteredProduct(const MatMulPlan& p, const int32_t* a, const int32_t* b, int32_t* out, ThreadPool* pool) {
  const int64_t batches = static_cast<int64_t>(p.a_offset.size());
  if (p.m * p.k * p.n > 0 && batches > 0) {
    std::vector<uint8_t> a8(static_cast<size_t>(p.m * p.k)), b8(static_cast<size_t>(p.k * p.n));
    QgemmPackedB packed;
    int64_t packed_offset = -1;
    int32_t a_zero = 0, b_zero = 0;
    bool ok = true;
    for (int64_t t = 0; t < batches && ok; ++t) {
      const int64_t bo = p.b_offset[static_cast<size_t>(t)];
      if (bo != packed_offset) {
        ok = ShiftToBytes(b + bo, p.k * p.n, b8.data(), &b_zero);
        if (!ok) break;
        packed.Pack(b8.data(), /*b_signed=*/false, p.k, p.n, p.n);
        packed_offset = bo;
      }
      ok = ShiftToBytes(a + p.a_offset[static_cast<size_t>(t)], p.m * p.k, a8.data(), &a_zero);
      if (ok) QgemmInt32(a8.data(), a_zero, p.m, packed, b_zero, out + t * p.m * p.n, pool);
    }
    if (ok) return;
  }
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

// A constant B [k, n], centered once; with a packed float copy when the float GEMM is exact for it.
struct PreparedB {
  int64_t k = 0, n = 0;
  std::vector<int32_t> centered;
  std::vector<float> as_float;  // empty when the float GEMM could round
  PackedGemmB packed;
  ukernels::Int16PairsB pairs;  // for products of a few rows; empty when some value does not fit int16
  // For the 8-bit GEMM (Qgemm): the centered values themselves as int8 with a zero point of 0, when they all fit
  // (symmetric int8 weights, which onnxruntime's quantizers produce); q8.k == 0 otherwise.
  QgemmPackedB q8;
};

inline PreparedB PrepareB(std::vector<int32_t> centered, int64_t k, int64_t n) {
  PreparedB b;
  b.k = k;
  b.n = n;
  int64_t max_abs = 0;
  for (int32_t v : centered) max_abs = std::max<int64_t>(max_abs, v < 0 ? -int64_t{v} : v);
  // Decided before any other form is made: with the 8-bit GEMM the float and int16 forms are never read (the
  // fallback for an operand Qgemm cannot take is the exact int32 product over `centered`), and making them anyway
  // cost two float copies of B and a float packing per weight at session creation, kept for the session's life.
  if (max_abs <= 128 && k > 0 && n > 0 &&
      std::all_of(centered.begin(), centered.end(), [](int32_t v) { return v >= -128 && v <= 127; })) {
    std::vector<int8_t> bytes(centered.begin(), centered.end());
    b.q8.Pack(bytes.data(), /*b_signed=*/true, k, n, n);
    b.centered = std::move(centered);
    return b;
  }
  if (k * 255 * max_abs < (int64_t{1} << 24)) {
    b.as_float.assign(centered.begin(), centered.end());
    b.packed = PackedGemmB(false, k, n, b.as_float.data(), n);
  }
  if (max_abs <= 255 && k < (int64_t{1} << 15)) b.pairs = ukernels::PackInt16Pairs(centered.data(), k, n);
  b.centered = std::move(centered);
  return b;
}

// out[m, n] = a[m, k] x B, exact, for a centered 8-bit operand a (|a| <= 255).
inline void PreparedProduct(const int32_t* a, int64_t m, const PreparedB& b, int32_t* out, ThreadPool* pool) {
  if (b.q8.k > 0 && m > 0) {
    uint8_t* bytes = ScratchBytes(3, std::max<int64_t>(m * b.k, 1));
    int32_t a_zero = 0;
    if (ShiftToBytes(a, m * b.k, bytes, &a_zero)) {
      QgemmInt32(bytes, a_zero, m, b.q8, 0, out, pool);
      return;
    }
  }
  if (m <= 4 && !b.pairs.data.empty()) {
    // A few rows (a recurrent step, one token): B stays in cache between calls, and int16 halves what is read.
    for (int64_t i = 0; i < m; ++i) ukernels::Int16Gemv(a + i * b.k, b.pairs, out + i * b.n);
    return;
  }
  if (b.as_float.empty() || m * b.k * b.n == 0) {
    CenteredProduct(PlainPlan(m, b.k, b.n), a, b.centered.data(), out, pool);
    return;
  }
  std::vector<float> cf(static_cast<size_t>(m * b.n));
  {
    std::vector<float> af(a, a + m * b.k);
    GemmPackedB(b.packed, false, m, 1.0f, af.data(), b.k, b.as_float.data(), 0.0f, cf.data(), b.n, pool);
  }
  for (int64_t i = 0; i < m * b.n; ++i) out[i] = static_cast<int32_t>(cf[static_cast<size_t>(i)]);
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
  FloatRangeWithZero(x, n, &lo, &hi);
  QParams p;
  p.scale = hi == lo ? 1.0f : (hi - lo) / 255.0f;
  const float zp = std::clamp(0.0f - lo / p.scale, 0.0f, 255.0f);
  p.zero_point = static_cast<int32_t>(std::nearbyint(zp));
  return p;
}

// A scale tensor of one element or one per column, as a vector of `n` floats (checked by the caller).
inline std::vector<float> PerColumn(const Tensor& s, int64_t n) {
  std::vector<float> out(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) out[static_cast<size_t>(j)] = s.data<float>()[s.size() == 1 ? 0 : j];
  return out;
}

}  // namespace onyx::cpu::quant
