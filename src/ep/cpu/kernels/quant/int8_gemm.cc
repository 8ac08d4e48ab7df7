// The driver of the 8-bit GEMM (see int8_gemm.h): B packing, the choice of micro-kernel, the split into tasks, the
// copy of A into the micro-kernel's layout and the zero-point and requantization epilogue. The micro-kernels
// themselves live in ukernels/int8_gemm__<isa>.cc; the portable one is here.
#include "ep/cpu/kernels/quant/int8_gemm.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "ep/cpu/cpu_isa.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "ep/cpu/ukernels/byte_transpose.h"
#include "ep/cpu/ukernels/int8_gemm_isa.h"
#include "ep/cpu/ukernels/int8_gemm_rows.h"

namespace onyx::cpu::quant {

namespace {

constexpr int64_t kPanel = QgemmPackedB::kPanel;
// Rows of A per task: a multiple of the AMX tile height (16), small enough that the copied rows and
// the int32 tile stay in the first cache levels.
constexpr int64_t kRowBlock = 64;
// Panels per epilogue step: the int32 tile the kernel writes is kRowBlock x 64.
constexpr int64_t kPanelStep = 4;
// Panels per step for products of at most kRowBlock * kPanelStep / kWidePanelStep rows (same tile size).
constexpr int64_t kWidePanelStep = 16;
// Qgemm's own per-thread scratch slots (int8_gemm.h): the copy of A, and each task's tiles.
constexpr int kASlot = 0, kTileSlot = 4, kScratchSlots = 5;
// The most rows past a whole AMX tile that the 512-bit vector kernel takes instead of a 16-row tile. With A and B
// on cache-line boundaries a third row already made the tile the faster (51 x 384 x 1536: 10% less time with 3 rows
// on AMX than on the vector kernel); one or two rows were even.
constexpr int64_t kAmxTailRows = 2;

int64_t RoundUp(int64_t v, int64_t m) { return (v + m - 1) / m * m; }

struct BaselineTag {};

// The row loops at the widest vectors the processor allows (compiled at the baseline they ran at half
// the width of AVX2).
const ukernels::QgemmRowOps& RowOps() {
#if ONYX_X86
  static const ukernels::QgemmRowOps& ops =
      HasAvx2() ? ukernels::QgemmRowsAvx2() : ukernels::epilogue::Ops<BaselineTag>();
  return ops;
#else
  return ukernels::epilogue::Ops<BaselineTag>();
#endif
}

void Int8GemmPortable(const uint8_t* a, int64_t rows, int64_t k4, const int8_t* b, int64_t panels, int32_t* c,
                      int64_t ldc) {
  for (int64_t p = 0; p < panels; ++p) {
    const int8_t* bp = b + p * k4 * kPanel;
    for (int64_t r = 0; r < rows; ++r) {
      int32_t acc[kPanel] = {};
      const uint8_t* ar = a + r * k4;
      for (int64_t kk = 0; kk < k4; kk += 4) {
        const int8_t* g = bp + kk * kPanel;
        for (int64_t j = 0; j < kPanel; ++j) {
          // Wrapping sums, as the vector kernels' are.
          acc[j] = static_cast<int32_t>(static_cast<uint32_t>(acc[j]) +
                                        static_cast<uint32_t>(ar[kk] * g[j * 4] + ar[kk + 1] * g[j * 4 + 1] +
                                                              ar[kk + 2] * g[j * 4 + 2] + ar[kk + 3] * g[j * 4 + 3]));
        }
      }
      std::memcpy(c + r * ldc + p * kPanel, acc, sizeof(acc));
    }
  }
}

void RequantizePortable(const int32_t* acc, const int32_t* add, int32_t row_add, const float* scale, int32_t zero_point,
                        bool out_signed, int64_t n, uint8_t* out) {
  const float lo = (out_signed ? -128.0f : 0.0f) - static_cast<float>(zero_point);
  const float hi = (out_signed ? 127.0f : 255.0f) - static_cast<float>(zero_point);
  for (int64_t j = 0; j < n; ++j) {
    const int32_t v = static_cast<int32_t>(static_cast<uint32_t>(acc[j]) + static_cast<uint32_t>(row_add) +
                                           static_cast<uint32_t>(add != nullptr ? add[j] : 0));
    float f = static_cast<float>(v) * scale[j];
    f = std::fmin(std::fmax(f, lo), hi);
    out[j] = static_cast<uint8_t>(static_cast<int32_t>(std::nearbyint(f)) + zero_point);
  }
}

bool HasAmx() {
#if ONYX_X86
  static const bool ok = HasAvx512Vnni() && Int8GemmAmxUsable();
  return ok;
#else
  return false;
#endif
}

QgemmIsa Resolve(QgemmIsa isa) {
  if (isa == QgemmIsa::kAuto || !QgemmIsaAvailable(isa)) return QgemmBestIsa();
  return isa;
}

// The x86 kernels are compiled on x86 only (the other cases never come up elsewhere: QgemmIsaAvailable says no).
Int8GemmKernel KernelFor(QgemmIsa isa) {
  switch (isa) {
#if ONYX_X86
    case QgemmIsa::kAmx:
    case QgemmIsa::kAvx512Vnni:
      return Int8GemmAvx512Vnni;
    case QgemmIsa::kAvxVnni:
      return Int8GemmAvxVnni;
    case QgemmIsa::kAvx2:
      return Int8GemmAvx2;
#endif
#if defined(__aarch64__)
    case QgemmIsa::kNeonDot:
      return Int8GemmNeonDot;
#endif
    default:
      return Int8GemmPortable;
  }
}

RequantizeKernel RequantizeFor(QgemmIsa isa) {
  switch (isa) {
#if ONYX_X86
    case QgemmIsa::kAmx:
    case QgemmIsa::kAvx512Vnni:
      return RequantizeAvx512;
    case QgemmIsa::kAvxVnni:
    case QgemmIsa::kAvx2:
      return RequantizeAvx2;
#endif
    default:
      return RequantizePortable;
  }
}

uint32_t U(int32_t v) { return static_cast<uint32_t>(v); }
int32_t S(uint32_t v) { return static_cast<int32_t>(v); }

}  // namespace

void TransposeBytes(const uint8_t* src, int64_t src_stride, int64_t rows, int64_t cols, uint8_t* dst,
                    int64_t dst_stride, uint8_t flip) {
  int64_t r0 = 0;
#if defined(ONYX_HAS_LANES128)
  // Up to 64 source rows at a time, all their columns, so that each 64-byte line of dst is finished in four
  // consecutive blocks instead of coming back (evicted, for big inputs) once a sweep of the columns.
  const int64_t full = rows / 16 * 16;
  for (; r0 < full; r0 += 64) {
    const int64_t r1 = std::min(r0 + 64, full);
    int64_t c0 = 0;
#if ONYX_X86
    if (HasAvx512())
      c0 = ukernels::TransposeBytesAvx512(src + r0 * src_stride, src_stride, r1 - r0, cols, dst + r0, dst_stride, flip);
    if (HasAvx2())
      c0 += ukernels::TransposeBytesAvx2(src + r0 * src_stride + c0, src_stride, r1 - r0, cols - c0,
                                         dst + r0 + c0 * dst_stride, dst_stride, flip);
#endif
    for (; c0 + 16 <= cols; c0 += 16) {
      for (int64_t r = r0; r < r1; r += 16) {
        ukernels::TransposeBlock<ukernels::Lanes128>(src + r * src_stride + c0, src_stride, dst + c0 * dst_stride + r,
                                                     dst_stride, ukernels::Lanes128::Set1(flip));
      }
    }
    for (int64_t cc = c0; cc < cols; ++cc) {
      for (int64_t i = r0; i < r1; ++i)
        dst[cc * dst_stride + i] = static_cast<uint8_t>(src[i * src_stride + cc] ^ flip);
    }
  }
  r0 = full;
#endif
  for (int64_t cc = 0; cc < cols; ++cc) {
    for (int64_t i = r0; i < rows; ++i)
      dst[cc * dst_stride + i] = static_cast<uint8_t>(src[i * src_stride + cc] ^ flip);
  }
}

namespace {

void SumRows(const uint8_t* a, int64_t rows, int64_t stride, int32_t* sums) {
  RowOps().sum_rows(a, rows, stride, sums);
}

// Copies rows [i0, i0 + rows) of A as unsigned bytes (int8 flipped to a + 128) into rows of k4 bytes, zero
// padded, and sums each row when asked.
void PackA(const QgemmArgs& g, int64_t k, int64_t k4 /* row stride */, int64_t i0, int64_t rows, uint8_t* dst,
           int32_t* row_sums) {
  const auto* a = static_cast<const uint8_t*>(g.a);
  const uint8_t flip = g.a_signed && !g.a_packed ? 0x80 : 0;  // pre-packed bytes are already unsigned
  // The zeros past K of each row: a call to memset per row of a few dozen bytes cost more than the row's copy, so
  // a fixed 64 bytes when the padding is no longer, spilling into the next row's head, which is written after.
  auto zero_tail = [&](int64_t r) {
    uint8_t* p = dst + r * k4 + k;
    if (k4 == k) return;
    if (k4 - k <= 64 && r + 1 < rows && k4 >= 64) {
      std::memset(p, 0, 64);
    } else {
      std::memset(p, 0, static_cast<size_t>(k4 - k));
    }
  };
  if (!g.a_trans) {
    const ukernels::QgemmRowOps& ops = RowOps();
    for (int64_t r = 0; r < rows; ++r) {
      const uint8_t* src = a + (i0 + r) * g.lda;
      uint8_t* d = dst + r * k4;
      zero_tail(r);
      ops.copy_xor(src, k, flip, d);
    }
  } else {
    for (int64_t r = 0; r < rows; ++r) zero_tail(r);
    // K's last k % 16 rows of A^T went through TransposeBytes' byte loop (a third of a first convolution's time:
    // im2col of 3 channels, K = 27). Padded to 16 rows in a small buffer with bytes that flip to zero, they take
    // the block transpose too, when the destination rows have room for the 16 bytes (AMX's, 64-byte multiples)
    // and there are 8 rows or more (for ResNet's K = 147, 3 rows, the byte loop was the cheaper).
    const int64_t full = k / 16 * 16, rest = k - full;
    if (rest >= 8 && full + 16 <= k4 && rows <= kRowBlock) {
      TransposeBytes(a + i0, g.lda, full, rows, dst, k4, flip);
      alignas(64) uint8_t tail[16 * kRowBlock];
      for (int64_t r = 0; r < rest; ++r)
        std::memcpy(tail + r * rows, a + (full + r) * g.lda + i0, static_cast<size_t>(rows));
      std::memset(tail + rest * rows, flip, static_cast<size_t>((16 - rest) * rows));
      TransposeBytes(tail, rows, 16, rows, dst + full, k4, flip);
    } else {
      TransposeBytes(a + i0, g.lda, k, rows, dst, k4, flip);
    }
  }
  if (row_sums != nullptr) SumRows(dst, rows, k4, row_sums);
}

}  // namespace

uint8_t* ScratchBytes(int slot, int64_t bytes) {
  // Kept per thread and never shrunk: freeing a buffer this size hands it back to the system, and taking it
  // again costs a page fault per 4 KiB on every run.
  thread_local CacheLineVector<uint8_t> buffers[kScratchSlots];
  CacheLineVector<uint8_t>& b = buffers[slot];
  if (static_cast<int64_t>(b.size()) < bytes) b.resize(static_cast<size_t>(bytes));
  return b.data();
}

bool QgemmIsaAvailable(QgemmIsa isa) {
  switch (isa) {
    case QgemmIsa::kAmx:
      return HasAmx();
    case QgemmIsa::kAvx512Vnni:
      return HasAvx512Vnni();
    case QgemmIsa::kAvxVnni:
      return HasAvxVnni();
    case QgemmIsa::kAvx2:
      return HasAvx2();
    case QgemmIsa::kNeonDot:
      return HasNeonDot();
    default:
      return true;
  }
}

QgemmIsa QgemmBestIsa() {
  if (HasAmx()) return QgemmIsa::kAmx;
  if (HasAvx512Vnni()) return QgemmIsa::kAvx512Vnni;
  if (HasAvxVnni()) return QgemmIsa::kAvxVnni;
  if (HasAvx2()) return QgemmIsa::kAvx2;
  if (HasNeonDot()) return QgemmIsa::kNeonDot;
  return QgemmIsa::kPortable;
}

const char* QgemmIsaName(QgemmIsa isa) {
  switch (isa) {
    case QgemmIsa::kAmx:
      return "amx";
    case QgemmIsa::kAvx512Vnni:
      return "avx512vnni";
    case QgemmIsa::kAvxVnni:
      return "avxvnni";
    case QgemmIsa::kAvx2:
      return "avx2";
    case QgemmIsa::kNeonDot:
      return "neondot";
    case QgemmIsa::kPortable:
      return "portable";
    default:
      return "auto";
  }
}

void QgemmPackedB::Pack(const void* b, bool is_signed, int64_t kdim, int64_t ndim, int64_t ldb, bool trans) {
  k = kdim;
  n = ndim;
  k4 = RoundUp(std::max<int64_t>(kdim, 1), 4);
  panels = (ndim + kPanel - 1) / kPanel;
  b_signed = is_signed;
  data.assign(static_cast<size_t>(panels * k4 * kPanel + 1024), 0);
  col_sums.assign(static_cast<size_t>(panels * kPanel), 0);
  const auto* src = static_cast<const uint8_t*>(b);
  const uint8_t flip = is_signed ? 0 : 0x80;  // uint8 b is stored as b - 128
  // Panel by panel, in the order B lies in memory: walking a column of a row-major B (every k at stride ldb, for
  // each of n columns) missed the cache at every byte and took 30% of creating a session of an int8 LSTM model.
  for (int64_t p = 0; p < panels; ++p) {
    const int64_t j0 = p * kPanel, cols = std::min(kPanel, ndim - j0);
    int8_t* panel = data.data() + p * k4 * kPanel;
    int32_t sums[kPanel] = {};
    if (trans) {
      for (int64_t jj = 0; jj < cols; ++jj) {
        const uint8_t* col = src + (j0 + jj) * ldb;
        for (int64_t kk = 0; kk < kdim; ++kk) {
          const auto v = static_cast<int8_t>(col[kk] ^ flip);
          panel[(kk / 4) * 4 * kPanel + jj * 4 + kk % 4] = v;
          sums[jj] += v;
        }
      }
    } else {
      // Four rows of B at a time make each column's four bytes of the panel: one 32-bit store, sums of bytes.
      for (int64_t k0 = 0; k0 < kdim; k0 += 4) {
        const uint8_t* rows[4];
        for (int64_t r = 0; r < 4; ++r) rows[r] = k0 + r < kdim ? src + (k0 + r) * ldb + j0 : nullptr;
        uint8_t* dst = reinterpret_cast<uint8_t*>(panel + (k0 / 4) * 4 * kPanel);
        if (k0 + 4 <= kdim && cols == kPanel) {
          for (int64_t jj = 0; jj < kPanel; ++jj) {
            const auto b0 = static_cast<int8_t>(rows[0][jj] ^ flip), b1 = static_cast<int8_t>(rows[1][jj] ^ flip);
            const auto b2 = static_cast<int8_t>(rows[2][jj] ^ flip), b3 = static_cast<int8_t>(rows[3][jj] ^ flip);
            const uint32_t word = static_cast<uint8_t>(b0) | static_cast<uint32_t>(static_cast<uint8_t>(b1)) << 8 |
                                  static_cast<uint32_t>(static_cast<uint8_t>(b2)) << 16 |
                                  static_cast<uint32_t>(static_cast<uint8_t>(b3)) << 24;
            std::memcpy(dst + jj * 4, &word, 4);
            sums[jj] += b0 + b1 + b2 + b3;
          }
          continue;
        }
        for (int64_t r = 0; r < 4 && rows[r]; ++r) {
          for (int64_t jj = 0; jj < cols; ++jj) {
            const auto v = static_cast<int8_t>(rows[r][jj] ^ flip);
            dst[jj * 4 + r] = static_cast<uint8_t>(v);
            sums[jj] += v;
          }
        }
      }
    }
    for (int64_t jj = 0; jj < cols; ++jj) col_sums[static_cast<size_t>(j0 + jj)] = sums[jj];
  }
}

void FloatRangeWithZero(const float* x, int64_t n, float* lo_out, float* hi_out) {
  float lo = 0.0f, hi = 0.0f;
  int64_t i = 0;
#if ONYX_X86
  if (n >= 32 && HasAvx2()) i = FloatRangeWithZeroAvx2(x, n, &lo, &hi);
#endif
  for (; i < n; ++i) {
    lo = x[i] < lo ? x[i] : lo;
    hi = x[i] > hi ? x[i] : hi;
  }
  *lo_out = lo;
  *hi_out = hi;
}

void QuantizeFloats(const float* x, int64_t n, float scale, int32_t zero_point, bool out_signed, void* out) {
  auto* o = static_cast<uint8_t*>(out);
#if ONYX_X86
  if (HasAvx512Vnni()) return QuantizeAvx512(x, n, scale, zero_point, out_signed, o);
  if (HasAvx2()) return QuantizeAvx2(x, n, scale, zero_point, out_signed, o);
#endif
  const float lo = (out_signed ? -128.0f : 0.0f) - static_cast<float>(zero_point);
  const float hi = (out_signed ? 127.0f : 255.0f) - static_cast<float>(zero_point);
  for (int64_t j = 0; j < n; ++j) {
    const float f = x[j] / scale;
    const float c = f > lo ? (f < hi ? f : hi) : lo;
    o[j] = static_cast<uint8_t>(static_cast<int32_t>(std::nearbyint(c)) + zero_point);
  }
}

void DequantizeBytes(const void* x, bool in_signed, int64_t n, float scale, int32_t zero_point, float* out) {
  const auto* b = static_cast<const uint8_t*>(x);
#if ONYX_X86
  if (HasAvx512Vnni()) return DequantizeAvx512(b, in_signed, n, scale, zero_point, out);
  if (HasAvx2()) return DequantizeAvx2(b, in_signed, n, scale, zero_point, out);
#endif
  for (int64_t j = 0; j < n; ++j) {
    const int32_t v = in_signed ? static_cast<int8_t>(b[j]) : b[j];
    out[j] = static_cast<float>(v - zero_point) * scale;
  }
}

void RequantizeRow(const int32_t* acc, const int32_t* bias, const float* scale, int32_t zero_point, bool out_signed,
                   int64_t n, void* out) {
  RequantizeFor(QgemmBestIsa())(acc, bias, 0, scale, zero_point, out_signed, n, static_cast<uint8_t*>(out));
}

namespace {

QgemmIsa ChooseIsa(QgemmIsa requested, int64_t m) {
  const QgemmIsa isa = Resolve(requested);
  // A 16-row tile would be mostly empty.
  return isa == QgemmIsa::kAmx && m < 16 ? QgemmIsa::kAvx512Vnni : isa;
}

// AMX reads A in 64-byte steps of K.
int64_t AStride(QgemmIsa isa, int64_t k4) { return isa == QgemmIsa::kAmx ? RoundUp(k4, 64) : k4; }

}  // namespace

QgemmPackedA QgemmPackedALayout(const QgemmPackedB& b, int64_t m) {
  return {AStride(ChooseIsa(QgemmIsa::kAuto, m), b.k4), RoundUp(std::max<int64_t>(m, 1), kRowBlock)};
}

void Qgemm(const QgemmArgs& g, ThreadPool* pool, QgemmIsa isa_in) {
  const QgemmPackedB& b = *g.b;
  const int64_t m = g.m, n = b.n, k = b.k, k4 = b.k4;
  if (m <= 0 || n <= 0) return;
  const QgemmIsa isa = ChooseIsa(isa_in, m);
  const bool amx = isa == QgemmIsa::kAmx;
  const int64_t a_stride = AStride(isa, k4);
  const Int8GemmKernel kernel = KernelFor(isa);
  const RequantizeKernel requantize = RequantizeFor(isa);
#if ONYX_X86
  const bool transposed_ok = isa == QgemmIsa::kAmx || isa == QgemmIsa::kAvx512Vnni;
#endif
  const QgemmEpilogue& ep = g.epilogue;
  const ukernels::QgemmRowOps& ops = RowOps();
  // The float epilogue in one 512-bit pass where the kernels are AVX-512 ones (the compiled loops run at AVX2's
  // width, and the bias in a second pass).
  auto float_row = ops.float_row;
#if ONYX_X86
  if (isa == QgemmIsa::kAmx || isa == QgemmIsa::kAvx512Vnni) float_row = FloatRowAvx512;
#endif

  // Zero points moved with the stored bytes (see int8_gemm.h).
  const int32_t a_shift = g.a_signed ? 128 : 0, b_shift = b.b_signed ? 0 : -128;
  auto za = [&](int64_t i) { return (g.a_zero == nullptr ? 0 : g.a_zero[g.a_zero_per_row ? i : 0]) + a_shift; };
  auto zb = [&](int64_t j) { return (g.b_zero == nullptr ? 0 : g.b_zero[g.b_zero_per_col ? j : 0]) + b_shift; };
  bool zb_uniform = true, need_row_sums = zb(0) != 0;
  if (g.b_zero_per_col) {
    for (int64_t j = 0; j < n; ++j) {
      zb_uniform = zb_uniform && zb(j) == zb(0);
      need_row_sums = need_row_sums || zb(j) != 0;
    }
  }
  // The common case splits into a term per row and one per column; otherwise a per-element correction.
  const bool separable = !g.a_zero_per_row && zb_uniform;
  // The column terms of columns [j0, j0 + cols), computed by the task that uses them (a GEMV of a recurrent step
  // spent more on these per call over all N than on its product): add[j] = bias[j] + (separable: -za * colsum[j]
  // + K * za * zb), and for the general case kcs[j] = K * zb[j] - colsum[j].
  auto column_terms = [&](int64_t j0, int64_t cols, int32_t* add, int32_t* kcs) {
    const uint32_t za0 = U(za(0)), zb0 = U(zb(0)), kk = static_cast<uint32_t>(k);
    const int32_t* cs = b.col_sums.data() + j0;
    const int32_t* bias = g.epilogue.bias;
    if (separable) {
      ops.column_add(bias != nullptr ? bias + j0 : nullptr, kk * za0 * zb0, za0, cs, cols, add);
    } else {
      for (int64_t j = 0; j < cols; ++j) {
        add[j] = bias != nullptr ? bias[j0 + j] : 0;
        kcs[j] = S(kk * U(zb(j0 + j)) - U(cs[j]));
      }
    }
  };

  const int64_t row_blocks = (m + kRowBlock - 1) / kRowBlock;
  // A is copied into the micro-kernels' layout once, whole, before the product: the tasks then share it.
  // AMX tiles read whole 16-row groups, so the buffer holds whole row blocks, the rows past M zeroed.
  const int64_t a_rows = row_blocks * kRowBlock;
  // A caller's pre-packed A must have this call's layout (the processor check and m decide it).
  const bool prepacked = g.a_packed && g.lda == a_stride;
  uint8_t* apack = ScratchBytes(kASlot, a_rows * a_stride);
  // Only AMX reads rows past M, and only up to the end of their 16-row group: zeroing the whole row block cost a
  // GEMV (M = 1, one recurrent step) 16 KB of stores per call. The vector kernels read M rows exactly.
  const int64_t zero_rows = amx ? std::min(a_rows, (m + 15) / 16 * 16) - m : 0;
  std::memset(apack + m * a_stride, 0, static_cast<size_t>(zero_rows * a_stride));
  // Unsigned row-major A whose rows already have the kernel's length (no padding to add) is read where it is,
  // but for a last group of fewer than 16 rows on AMX, whose tiles would read past its end.
  const bool in_place_ok = !prepacked && !g.a_packed && !g.a_trans && !g.a_signed && g.lda == a_stride && k == a_stride;
  auto block = [&](int64_t i0) -> const uint8_t* {
    const bool whole_tiles = !amx || std::min(kRowBlock, m - i0) % 16 == 0;
    if (prepacked || (in_place_ok && whole_tiles)) return static_cast<const uint8_t*>(g.a) + i0 * a_stride;
    return nullptr;
  };
  std::vector<int32_t> row_add(static_cast<size_t>(m), 0), row_sums(static_cast<size_t>(m), 0);
  // Products of a few rows (a recurrent step's GEMV) take 16 panels a step, in a tile of the same size: with 4, the
  // per-step work (column terms, kernel call, epilogue) was a tenth of a GEMV's time.
  const int64_t panel_step =
      m <= kRowBlock * kPanelStep / kWidePanelStep && ep.out_col == 1 ? kWidePanelStep : kPanelStep;
  const int64_t steps = (b.panels + panel_step - 1) / panel_step;
  // Enough tasks to keep a pool busy when the rows are few (late convolution layers, GEMV): columns are split
  // too.
  const int64_t wanted_chunks = std::min(steps, std::max<int64_t>(1, (16 + row_blocks - 1) / row_blocks));
  const int64_t steps_per_chunk = (steps + wanted_chunks - 1) / wanted_chunks;
  // Without the chunks that rounding left empty (24 steps in 16 chunks of 2 made 4 empty ones): the pool hands out
  // tasks by count, so on two threads one took 8 tasks of 2 steps and the other 8 with half of them empty.
  const int64_t col_chunks = (steps + steps_per_chunk - 1) / steps_per_chunk;
  const int64_t tasks = row_blocks * col_chunks;

  // A row block's copy into the kernels' layout (or the sums of its rows where it is read in place), and its
  // rows' zero-point terms.
  auto prepare_rows = [&](int64_t rb) {
    const int64_t i0 = rb * kRowBlock, rows = std::min(kRowBlock, m - i0);
    if (g.a_fill != nullptr) (*g.a_fill)(i0, i0 + rows);
    if (const uint8_t* src = block(i0)) {
      if (need_row_sums) SumRows(src, rows, a_stride, row_sums.data() + i0);
    } else {
      PackA(g, k, a_stride, i0, rows, apack + i0 * a_stride, need_row_sums ? row_sums.data() + i0 : nullptr);
    }
    if (separable && need_row_sums) {
      for (int64_t i = i0; i < i0 + rows; ++i)
        row_add[static_cast<size_t>(i)] = S(0u - U(zb(0)) * U(row_sums[static_cast<size_t>(i)]));
    }
  };
  // Nothing to copy or sum (A gathered in the kernels' layout by the caller, symmetric weights) makes no job: a
  // convolution's hand-offs to the pool are a good part of its time on two threads. Where each row block has one
  // task (the columns not split), that task prepares its own block just before using it: no separate pass over A
  // with its hand-off and wait, and the block is still in the core's cache.
  bool a_work = need_row_sums || g.a_fill != nullptr;
  for (int64_t rb = 0; rb < row_blocks && !a_work; ++rb) a_work = block(rb * kRowBlock) == nullptr;
  const bool a_in_task = a_work && col_chunks == 1;
  if (a_work && !a_in_task) {
    ThreadPool::For(pool, row_blocks, kCopyNsPerByte * static_cast<double>(kRowBlock * a_stride),
                    [&](int64_t r0, int64_t r1) {
                      for (int64_t rb = r0; rb < r1; ++rb) prepare_rows(rb);
                    });
  }

  const double ns_per_task =
      0.02 * static_cast<double>(std::min(m, kRowBlock) * k4 * steps_per_chunk * panel_step * kPanel) +
      (a_in_task ? kCopyNsPerByte * static_cast<double>(kRowBlock * a_stride) : 0.0);

  ThreadPool::For(pool, tasks, ns_per_task, [&](int64_t t0, int64_t t1) {
    // Sized for the rows there are (whole 16-row groups, which AMX stores), and the byte tiles only for the
    // channel-major quantized output that uses them: a GEMV otherwise zeroed 24 KB per call.
    // Per-thread scratch, not zeroed: the kernels store every element of the tile they compute. The byte tiles
    // serve only the channel-major quantized output.
    const int64_t tile_elems = kRowBlock * kPanelStep * kPanel;
    uint8_t* scratch = ScratchBytes(kTileSlot, tile_elems * (4 + 2));
    auto* tile = reinterpret_cast<int32_t*>(scratch);
    uint8_t* qtile = scratch + tile_elems * 4;
    uint8_t* ttile = qtile + tile_elems;
    int32_t add_buf[kWidePanelStep * kPanel], kcs_buf[kWidePanelStep * kPanel];
#if ONYX_X86
    // The tiles configured once for this thread's run of tasks (see Int8GemmAmxConfigure).
    struct AmxScope {
      bool on;
      explicit AmxScope(bool amx_on) : on(amx_on) {
        if (on) Int8GemmAmxConfigure();
      }
      ~AmxScope() {
        if (on) Int8GemmAmxRelease();
      }
      AmxScope(const AmxScope&) = delete;
      AmxScope& operator=(const AmxScope&) = delete;
    } amx_scope(amx);
#endif
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t rb = t / col_chunks, cc = t % col_chunks;
      const int64_t i0 = rb * kRowBlock, rows = std::min(kRowBlock, m - i0);
      if (a_in_task) prepare_rows(rb);
      const uint8_t* ablock = block(i0);
      if (ablock == nullptr) ablock = apack + i0 * a_stride;
      const int64_t s_end = std::min(steps, (cc + 1) * steps_per_chunk);
      for (int64_t s = cc * steps_per_chunk; s < s_end; ++s) {
        const int64_t p0 = s * panel_step, np = std::min(panel_step, b.panels - p0);
        const int64_t j0 = p0 * kPanel, cols = std::min(np * kPanel, n - j0);
        const int64_t ldc = panel_step * kPanel;
#if ONYX_X86
        if (amx) {
          // One or two rows past the last whole 16-row tile go to the vector kernel rather than a mostly empty
          // tile (when A's rows have the vector kernel's length).
          const int64_t tail = rows % 16, whole = rows - tail;
          if (tail != 0 && tail <= kAmxTailRows && whole > 0 && a_stride == k4) {
            Int8GemmAmx(ablock, whole, a_stride, b.panel(p0), k4 * kPanel, np, tile, ldc);
            Int8GemmAvx512Vnni(ablock + whole * a_stride, tail, k4, b.panel(p0), np, tile + whole * ldc, ldc);
          } else {
            Int8GemmAmx(ablock, rows, a_stride, b.panel(p0), k4 * kPanel, np, tile, ldc);
          }
        } else {
          kernel(ablock, rows, k4, b.panel(p0), np, tile, ldc);
        }
#else
        kernel(ablock, rows, k4, b.panel(p0), np, tile, ldc);
#endif
        column_terms(j0, cols, add_buf, kcs_buf);
        if (!separable) {
          for (int64_t r = 0; r < rows; ++r) {
            const uint32_t zar = U(za(i0 + r)), rs = U(row_sums[static_cast<size_t>(i0 + r)]);
            int32_t* c = tile + r * ldc;
            for (int64_t j = 0; j < cols; ++j) {
              c[j] = S(U(c[j]) - U(zb(j0 + j)) * rs + zar * U(kcs_buf[j]));
            }
          }
        }
        const int32_t* add = add_buf;
        if (ep.kind == QgemmEpilogue::kInt32) {
          auto* out = static_cast<int32_t*>(ep.out);
          for (int64_t r = 0; r < rows; ++r) {
            const int32_t* c = tile + r * ldc;
            const uint32_t ra = U(row_add[static_cast<size_t>(i0 + r)]);
            int32_t* o = out + (i0 + r) * ep.out_row + j0 * ep.out_col;
            if (ep.out_col == 1) {
              ops.int32_row(c, ra, add, cols, o);
            } else {
              for (int64_t j = 0; j < cols; ++j) o[j * ep.out_col] = S(U(c[j]) + ra + U(add[j]));
            }
          }
          continue;
        }
        if (ep.kind == QgemmEpilogue::kFloat) {
          auto* out = static_cast<float*>(ep.out);
          const float* sc = ep.scale + j0;
          const float* fb = ep.float_bias != nullptr ? ep.float_bias + j0 : nullptr;
          for (int64_t r = 0; r < rows; ++r) {
            const int32_t* c = tile + r * ldc;
            const uint32_t ra = U(row_add[static_cast<size_t>(i0 + r)]);
            float_row(c, ra, add, sc, fb, cols, out + (i0 + r) * ep.out_row + j0);
          }
          continue;
        }
        const bool out_signed = ep.kind == QgemmEpilogue::kInt8;
        auto* out = static_cast<uint8_t*>(ep.out);
        if (ep.out_col == 1) {
          for (int64_t r = 0; r < rows; ++r) {
            requantize(tile + r * ldc, add, row_add[static_cast<size_t>(i0 + r)], ep.scale + j0, ep.zero_point,
                       out_signed, cols, out + (i0 + r) * ep.out_row + j0);
          }
#if ONYX_X86
        } else if (transposed_ok && ep.out_row == 1) {
          // Channel-major output (NCHW convolutions): requantized, transposed in registers and stored a channel's run
          // of pixels at a time; blocks of fewer than 16 rows or columns masked (a 7 x 7 output plane, 49 rows, went
          // through the byte tile below, and so did the last block of most planes).
          // (No row terms to add when B's zero point is 0, symmetric weights: null saves an add a vector.)
          RequantizeTransposedAvx512(tile, ldc, separable && !need_row_sums ? nullptr : row_add.data() + i0, add,
                                     ep.scale + j0, ep.zero_point, out_signed, rows, cols, out + i0 + j0 * ep.out_col,
                                     ep.out_col);
#endif
        } else {
          // Channel-major output (NCHW convolutions): requantize the tile, then write it transposed.
          for (int64_t r = 0; r < rows; ++r) {
            requantize(tile + r * ldc, add, row_add[static_cast<size_t>(i0 + r)], ep.scale + j0, ep.zero_point,
                       out_signed, cols, qtile + r * ldc);
          }
          if (ep.out_row == 1) {
            // Transposed in the cache first, then each channel's run of pixels stored whole: scattering 16-byte
            // pieces straight into the output (a new line every out_col bytes) stalled on its cache misses.
            TransposeBytes(qtile, ldc, rows, cols, ttile, kRowBlock, 0);
            uint8_t* o = out + i0 + j0 * ep.out_col;
            if (rows == kRowBlock) {
              for (int64_t j = 0; j < cols; ++j) {
                std::memcpy(o + j * ep.out_col, ttile + j * kRowBlock, static_cast<size_t>(kRowBlock));
              }
            } else {
              for (int64_t j = 0; j < cols; ++j) {
                std::memcpy(o + j * ep.out_col, ttile + j * kRowBlock, static_cast<size_t>(rows));
              }
            }
          } else {
            for (int64_t j = 0; j < cols; ++j) {
              uint8_t* o = out + i0 * ep.out_row + (j0 + j) * ep.out_col;
              for (int64_t r = 0; r < rows; ++r) o[r * ep.out_row] = qtile[r * ldc + j];
            }
          }
        }
      }
    }
  });
}

}  // namespace onyx::cpu::quant
