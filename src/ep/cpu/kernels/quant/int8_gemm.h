// The 8-bit integer matrix product behind QLinearConv, ConvInteger, QLinearMatMul and MatMulInteger (and any
// other kernel that wants one): C = (A - a_zero) x (B - b_zero) in int32, with an epilogue that either stores
// the int32 result or adds an int32 bias and requantizes to uint8/int8 the way onnxruntime does (float
// multiplier, round half to even, zero point, saturate).
//
// A (M x K, the activations) is read as it is given, row-major or transposed, and copied a few rows at a time
// into the layout the micro-kernel wants; B (K x N, the weights) is packed once into QgemmPackedB. Both may be
// uint8 or int8: the kernels multiply unsigned A bytes by signed B bytes (the vpdpbusd form), so int8 A is
// stored as a + 128 and uint8 B as b - 128, the zero points moved by the same amount, which leaves every
// difference (a - a_zero), (b - b_zero) and so the result unchanged. The zero points enter through the row
// sums of A and the column sums of B:
//   sum_k (a - za)(b - zb) = sum_k a*b - zb * rowsum(a) - za * colsum(b) + K * za * zb.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "common/thread_pool.h"

namespace onyx::cpu::quant {

// The micro-kernel families; every one gives bit-identical int32 results.
enum class QgemmIsa {
  kAuto,        // the best the processor has
  kPortable,    // plain C++
  kAvx2,        // vpmaddwd on bytes widened to 16 bits (exact, unlike vpmaddubsw, which saturates)
  kAvxVnni,     // 256-bit vpdpbusd
  kAvx512Vnni,  // 512-bit vpdpbusd
  kAmx,         // AMX tiles (tdpbusd), with 512-bit vpdpbusd for products of fewer than 16 rows
  kNeonDot,     // AArch64 SDOT (the dot-product extension) on A's bytes flipped to signed, plus 128 x B's column sums
};
bool QgemmIsaAvailable(QgemmIsa isa);
QgemmIsa QgemmBestIsa();
const char* QgemmIsaName(QgemmIsa isa);

// Storage on 64-byte boundaries: an AMX tile row and a 512-bit load are 64 bytes, and where they straddle two
// cache lines each costs two accesses (malloc gives 16-byte alignment; a large block comes at a page plus 16
// bytes). Measured on a 51 x 1536 x 384 DynamicQuantizeMatMul: a quarter more time in the AMX kernel.
template <typename T>
struct CacheLineAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlign{64};
  CacheLineAllocator() = default;
  template <typename U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}  // NOLINT(google-explicit-constructor): rebinding
  T* allocate(size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlign)); }
  void deallocate(T* p, size_t) { ::operator delete(p, kAlign); }
  template <typename U>
  bool operator==(const CacheLineAllocator<U>&) const {
    return true;
  }
};
template <typename T>
using CacheLineVector = std::vector<T, CacheLineAllocator<T>>;

// B packed in panels of 16 columns (the last zero-filled); inside a panel, K in groups of 4 (the last
// zero-filled), each group 64 bytes: column 0's four k values, then column 1's, ... (one 32-bit lane per
// column, what vpdpbusd multiplies against four broadcast bytes of A).
struct QgemmPackedB {
  static constexpr int64_t kPanel = 16;
  int64_t k = 0, n = 0, k4 = 0, panels = 0;
  bool b_signed = true;           // the original element type; stored bytes are always signed
  CacheLineVector<int8_t> data;   // panels * k4 * 16 bytes, and 1 KiB of zeros that AMX tiles may read
  std::vector<int32_t> col_sums;  // sum over k of the stored bytes, per column

  // b[k][n] is at b[kk * ldb + j] (trans: b[j * ldb + kk]); b_signed: int8, else uint8.
  void Pack(const void* b, bool b_signed, int64_t k, int64_t n, int64_t ldb, bool trans = false);
  const int8_t* panel(int64_t p) const { return data.data() + p * k4 * kPanel; }
};

// What the product is followed by. Out of row i, column j goes to out[i * out_row + j * out_col] (elements).
struct QgemmEpilogue {
  // kFloat: y = float(acc + bias[j]) * scale[j] + float_bias[j] (MatMulIntegerToFloat's dequantization, row-major
  // output only: out_col must be 1).
  enum Kind { kInt32, kUint8, kInt8, kFloat } kind = kInt32;
  void* out = nullptr;
  int64_t out_row = 0, out_col = 1;
  // Quantized outputs: y = saturate(round_half_even(float(acc + bias[j]) * scale[j]) + zero_point).
  const int32_t* bias = nullptr;  // N values or null (added for kInt32 too)
  const float* scale = nullptr;   // N values (a per-tensor scale repeated) for quantized outputs
  int32_t zero_point = 0;
  const float* float_bias = nullptr;  // kFloat: N values or null
};

struct QgemmArgs {
  int64_t m = 0;
  const void* a = nullptr;
  bool a_signed = false;
  int64_t lda = 0;
  bool a_trans = false;  // a[i][kk] at a[kk * lda + i] instead of a[i * lda + kk]
  // A already in the micro-kernel's layout (see QgemmPackedA): unsigned bytes (int8 values plus 128, a_signed
  // still saying what they were), rows lda = QgemmPackedA::stride apart, zero past K, and readable (any value)
  // up to QgemmPackedA::rows rows. Saves the copy when the caller builds A anyway (im2col-like gathers).
  bool a_packed = false;
  // With a_packed: rows [begin, end) of A are written by a_fill(begin, end) (a whole 64-row block at a time) before
  // the product reads them, inside the product's tasks where each block has one task, so that a caller's gather
  // needs no pass of its own over A (a hand-off and a wait on two threads) and the block is used while cached.
  const ThreadPool::RangeFn* a_fill = nullptr;
  // Zero points in the operands' own types (as int32): one, or m for A (a_zero_per_row) / n for B.
  const int32_t* a_zero = nullptr;
  bool a_zero_per_row = false;
  const int32_t* b_zero = nullptr;
  bool b_zero_per_col = false;
  const QgemmPackedB* b = nullptr;
  QgemmEpilogue epilogue;
};

// The layout Qgemm(kAuto) wants for a pre-packed A of m rows against b.
struct QgemmPackedA {
  int64_t stride = 0, rows = 0;
};
QgemmPackedA QgemmPackedALayout(const QgemmPackedB& b, int64_t m);

// Runs the product and its epilogue, split over the pool. isa kAuto picks the best available; one that the
// processor lacks falls back to the best available (tests force each family this way).
void Qgemm(const QgemmArgs& args, ThreadPool* pool, QgemmIsa isa = QgemmIsa::kAuto);

// The saturating requantization alone, vectorized where the processor allows: n int32 values (plus bias[j]
// when given) times scale[j], rounded half to even, plus zero_point, saturated to uint8 (out_signed false) or
// int8.
void RequantizeRow(const int32_t* acc, const int32_t* bias, const float* scale, int32_t zero_point, bool out_signed,
                   int64_t n, void* out);

// QuantizeLinear's and DequantizeLinear's 8-bit cores, vectorized where the processor allows:
// out[j] = saturate(round_half_even(x[j] / scale) + zero_point) (NaN gives the lowest value, as in onnxruntime),
// and out[j] = float(x[j] - zero_point) * scale.
void QuantizeFloats(const float* x, int64_t n, float scale, int32_t zero_point, bool out_signed, void* out);
void DequantizeBytes(const void* x, bool in_signed, int64_t n, float scale, int32_t zero_point, float* out);

// The smallest and largest of x[0..n) and 0 (dynamic quantization's range always holds 0); NaN is passed over.
void FloatRangeWithZero(const float* x, int64_t n, float* lo, float* hi);

// A per-thread scratch buffer of at least `bytes` bytes on a 64-byte boundary, kept between calls (slots 0 and 4 are
// Qgemm's own; 1-3 are free for its callers on the same thread). Its contents are unspecified.
uint8_t* ScratchBytes(int slot, int64_t bytes);

// dst[c * dst_stride + r] = src[r * src_stride + c] ^ flip for r < rows, c < cols (16 x 16 blocks with SSE2).
void TransposeBytes(const uint8_t* src, int64_t src_stride, int64_t rows, int64_t cols, uint8_t* dst,
                    int64_t dst_stride, uint8_t flip);

}  // namespace onyx::cpu::quant
