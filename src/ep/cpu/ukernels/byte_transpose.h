// A 16 x 16 byte transposition in registers, shared by the 8-bit GEMM's copy of a transposed A
// (kernels/quant/int8_gemm.cc, 128-bit SSE2 or NEON vectors) and its AVX2 build (byte_transpose__avx2.cc, 256-bit
// vectors, two blocks side by side). In an unnamed namespace: each build keeps its own copy.
#pragma once

#include <cstdint>

#if defined(__SSE2__) || defined(__aarch64__)
#define ONYX_HAS_LANES128 1
#if defined(__SSE2__)
#include <immintrin.h>
#else
#include <arm_neon.h>
#endif

namespace onyx::cpu::ukernels {
namespace {

// The unpacking rounds of a 16 x 16 byte transpose on 128-bit vectors, and on 256-bit ones where each lane holds
// its own 16 x 16 block (columns c0..c0+15 and c0+16..c0+31).
#if defined(__SSE2__)
struct Lanes128 {
  using V = __m128i;
  static V Load(const uint8_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
  static V Set1(uint8_t v) { return _mm_set1_epi8(static_cast<char>(v)); }
  static V Xor(V a, V b) { return _mm_xor_si128(a, b); }
  static V Lo8(V a, V b) { return _mm_unpacklo_epi8(a, b); }
  static V Hi8(V a, V b) { return _mm_unpackhi_epi8(a, b); }
  static V Lo16(V a, V b) { return _mm_unpacklo_epi16(a, b); }
  static V Hi16(V a, V b) { return _mm_unpackhi_epi16(a, b); }
  static V Lo32(V a, V b) { return _mm_unpacklo_epi32(a, b); }
  static V Hi32(V a, V b) { return _mm_unpackhi_epi32(a, b); }
  static V Lo64(V a, V b) { return _mm_unpacklo_epi64(a, b); }
  static V Hi64(V a, V b) { return _mm_unpackhi_epi64(a, b); }
  // Column `col` of the block (and col + 16 of the second one) to dst rows.
  static void Store(V v, uint8_t* dst, int64_t dst_stride, int col) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + col * dst_stride), v);
  }
};
#else
// NEON: zip1/zip2 interleave the low/high halves as SSE2's unpacklo/unpackhi do.
struct Lanes128 {
  using V = uint8x16_t;
  static V Load(const uint8_t* p) { return vld1q_u8(p); }
  static V Set1(uint8_t v) { return vdupq_n_u8(v); }
  static V Xor(V a, V b) { return veorq_u8(a, b); }
  static V Lo8(V a, V b) { return vzip1q_u8(a, b); }
  static V Hi8(V a, V b) { return vzip2q_u8(a, b); }
  static V Lo16(V a, V b) { return vreinterpretq_u8_u16(vzip1q_u16(vreinterpretq_u16_u8(a), vreinterpretq_u16_u8(b))); }
  static V Hi16(V a, V b) { return vreinterpretq_u8_u16(vzip2q_u16(vreinterpretq_u16_u8(a), vreinterpretq_u16_u8(b))); }
  static V Lo32(V a, V b) { return vreinterpretq_u8_u32(vzip1q_u32(vreinterpretq_u32_u8(a), vreinterpretq_u32_u8(b))); }
  static V Hi32(V a, V b) { return vreinterpretq_u8_u32(vzip2q_u32(vreinterpretq_u32_u8(a), vreinterpretq_u32_u8(b))); }
  static V Lo64(V a, V b) { return vreinterpretq_u8_u64(vzip1q_u64(vreinterpretq_u64_u8(a), vreinterpretq_u64_u8(b))); }
  static V Hi64(V a, V b) { return vreinterpretq_u8_u64(vzip2q_u64(vreinterpretq_u64_u8(a), vreinterpretq_u64_u8(b))); }
  static void Store(V v, uint8_t* dst, int64_t dst_stride, int col) { vst1q_u8(dst + col * dst_stride, v); }
};
#endif

// 16 rows x 16 columns per 128-bit lane in four rounds of unpacking (bytes, then 16-, 32- and 64-bit pairs).
template <typename L>
void TransposeBlock(const uint8_t* src, int64_t src_stride, uint8_t* dst, int64_t dst_stride, typename L::V vflip) {
  typename L::V r[16], a[16], b[16], c[16];
  for (int i = 0; i < 16; ++i) r[i] = L::Xor(L::Load(src + i * src_stride), vflip);
  for (int i = 0; i < 8; ++i) {  // a[i]: rows 2i, 2i+1, columns 0-7; a[i + 8]: columns 8-15
    a[i] = L::Lo8(r[2 * i], r[2 * i + 1]);
    a[i + 8] = L::Hi8(r[2 * i], r[2 * i + 1]);
  }
  for (int h = 0; h < 2; ++h) {  // b[h*8 + q]: rows 4q..4q+3, columns 8h..8h+3; b[h*8 + q + 4]: 8h+4..8h+7
    for (int q = 0; q < 4; ++q) {
      b[h * 8 + q] = L::Lo16(a[h * 8 + 2 * q], a[h * 8 + 2 * q + 1]);
      b[h * 8 + q + 4] = L::Hi16(a[h * 8 + 2 * q], a[h * 8 + 2 * q + 1]);
    }
  }
  for (int qc = 0; qc < 4; ++qc) {  // c[qc*4 + o]: rows 8o..8o+7, columns 4qc, 4qc+1; c[qc*4 + 2 + o]: +2, +3
    const typename L::V* bq = b + (qc / 2) * 8 + (qc % 2) * 4;
    for (int o = 0; o < 2; ++o) {
      c[qc * 4 + o] = L::Lo32(bq[2 * o], bq[2 * o + 1]);
      c[qc * 4 + 2 + o] = L::Hi32(bq[2 * o], bq[2 * o + 1]);
    }
  }
  for (int p = 0; p < 8; ++p) {  // columns 2p and 2p+1, all 16 rows
    const typename L::V lo = c[(p / 2) * 4 + (p % 2) * 2], hi = c[(p / 2) * 4 + (p % 2) * 2 + 1];
    L::Store(L::Lo64(lo, hi), dst, dst_stride, 2 * p);
    L::Store(L::Hi64(lo, hi), dst, dst_stride, 2 * p + 1);
  }
}

}  // namespace
}  // namespace onyx::cpu::ukernels
#endif

namespace onyx::cpu::ukernels {
// dst[c * dst_stride + r] = src[r * src_stride + c] ^ flip for r < rows (a multiple of 16) and the first columns
// in blocks of 32, returning how many columns it did (byte_transpose__avx2.cc: only after cpu::HasAvx2()).
int64_t TransposeBytesAvx2(const uint8_t* src, int64_t src_stride, int64_t rows, int64_t cols, uint8_t* dst,
                           int64_t dst_stride, uint8_t flip);
// The same in blocks of 64 columns (byte_transpose__avx512.cc: only after cpu::HasAvx512()).
int64_t TransposeBytesAvx512(const uint8_t* src, int64_t src_stride, int64_t rows, int64_t cols, uint8_t* dst,
                             int64_t dst_stride, uint8_t flip);
}  // namespace onyx::cpu::ukernels
