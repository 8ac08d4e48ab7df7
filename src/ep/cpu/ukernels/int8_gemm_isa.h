// The 8-bit GEMM micro-kernels of each instruction set (ukernels/int8_gemm__<isa>.cc, each compiled with its
// set enabled) behind quant::Qgemm (kernels/quant/int8_gemm.h), which calls them only after checking the processor.
#pragma once

#include <cstdint>

namespace onyx::cpu {

// c[r * ldc + j] = sum_kk a[r * k4 + kk] * panel(j / 16)[(kk / 4) * 64 + (j % 16) * 4 + kk % 4] for r < rows,
// j < panels * 16: unsigned bytes of A (rows of k4 bytes, k4 a multiple of 4) times the signed bytes of B's
// packed panels (QgemmPackedB's layout; panel p at b + p * k4 * 16), exact in int32.
using Int8GemmKernel = void (*)(const uint8_t* a, int64_t rows, int64_t k4, const int8_t* b, int64_t panels, int32_t* c,
                                int64_t ldc);
void Int8GemmAvx512Vnni(const uint8_t* a, int64_t rows, int64_t k4, const int8_t* b, int64_t panels, int32_t* c,
                        int64_t ldc);
void Int8GemmAvxVnni(const uint8_t* a, int64_t rows, int64_t k4, const int8_t* b, int64_t panels, int32_t* c,
                     int64_t ldc);
void Int8GemmAvx2(const uint8_t* a, int64_t rows, int64_t k4, const int8_t* b, int64_t panels, int32_t* c, int64_t ldc);
// AArch64 with the dot-product extension (int8_gemm__neondot.cc), only after cpu::HasNeonDot().
void Int8GemmNeonDot(const uint8_t* a, int64_t rows, int64_t k4, const int8_t* b, int64_t panels, int32_t* c,
                     int64_t ldc);

// The AMX form: rows of A a_stride bytes apart (a multiple of 64, zero past K; the tiles read whole 16-row
// groups, so the buffers behind a and c must hold rows rounded up to 16), panels b_stride bytes apart (the
// tiles may read up to 1 KiB past the last panel, multiplied by A's zeros). Only after Int8GemmAmxUsable(), and
// between Int8GemmAmxConfigure() and Int8GemmAmxRelease() on the calling thread: loading the tile configuration
// and releasing the tiles around every call took a quarter of the kernel's time on the small K of 1x1
// convolutions (K 64-128, 64 rows x 64 columns a call), so a caller does it once for a run of calls.
bool Int8GemmAmxUsable();
void Int8GemmAmxConfigure();
void Int8GemmAmxRelease();
void Int8GemmAmx(const uint8_t* a, int64_t rows, int64_t a_stride, const int8_t* b, int64_t b_stride, int64_t panels,
                 int32_t* c, int64_t ldc);

// out[j] = saturate(round_half_even(float(acc[j] + add[j] + row_add) * scale[j]) + zero_point) as uint8
// (out_signed false) or int8, for j < n; `add` may be null.
using RequantizeKernel = void (*)(const int32_t* acc, const int32_t* add, int32_t row_add, const float* scale,
                                  int32_t zero_point, bool out_signed, int64_t n, uint8_t* out);
void RequantizeAvx512(const int32_t* acc, const int32_t* add, int32_t row_add, const float* scale, int32_t zero_point,
                      bool out_signed, int64_t n, uint8_t* out);
// The same for a tile of int32 rows acc[r * ldc + j] (plus row_add[r], none when row_add is null, and add[j]), written
// transposed: out[j * out_col + r] (channel-major convolution outputs), without a byte tile in between. acc must be
// readable up to `rows` rounded up to 16 (its values there unused); add and scale are read for j < cols only.
void RequantizeTransposedAvx512(const int32_t* acc, int64_t ldc, const int32_t* row_add, const int32_t* add,
                                const float* scale, int32_t zero_point, bool out_signed, int64_t rows, int64_t cols,
                                uint8_t* out, int64_t out_col);
void RequantizeAvx2(const int32_t* acc, const int32_t* add, int32_t row_add, const float* scale, int32_t zero_point,
                    bool out_signed, int64_t n, uint8_t* out);

// o[j] = float(c[j] + ra + add[j]) * scale[j] (+ fb[j] when fb is not null), j < cols: the float epilogue
// (ukernels::QgemmRowOps::float_row) with 512-bit vectors; only after cpu::HasAvx512Vnni().
void FloatRowAvx512(const int32_t* c, uint32_t ra, const int32_t* add, const float* scale, const float* fb,
                    int64_t cols, float* o);

// out[j] = saturate(round_half_even(x[j] / scale) + zero_point) (NaN gives the lowest value, as in
// onnxruntime), and its inverse float(x[j] - zero_point) * scale, for j < n.
void QuantizeAvx512(const float* x, int64_t n, float scale, int32_t zero_point, bool out_signed, uint8_t* out);
void QuantizeAvx2(const float* x, int64_t n, float scale, int32_t zero_point, bool out_signed, uint8_t* out);
void DequantizeAvx512(const uint8_t* x, bool in_signed, int64_t n, float scale, int32_t zero_point, float* out);
void DequantizeAvx2(const uint8_t* x, bool in_signed, int64_t n, float scale, int32_t zero_point, float* out);

// The smallest and largest of x[0, n - n % 32) and 0, NaN passed over (quant::FloatRangeWithZero's vector part);
// returns how many elements it read.
int64_t FloatRangeWithZeroAvx2(const float* x, int64_t n, float* lo, float* hi);

}  // namespace onyx::cpu
